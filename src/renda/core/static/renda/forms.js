/* Form helpers for every page, on top of plain HTML forms that work without JavaScript:
 * - input[data-datepicker]: a calendar (flatpickr, vendored) that reads and writes YYYY-MM-DD,
 *   in Chinese or English as the page is, never the browser's locale format;
 * - select[data-searchable]: a select with a search box (Tom Select, vendored); a multiple
 *   one shows its choices as removable chips.
 * - button[data-confirm]: asks before submitting; select[data-autosubmit]: submits on change;
 *   #bulk-all: ticks every row of the list's bulk form (no inline handlers: the CSP forbids them).
 * Fragments swapped in by htmx (filters, dependent selects) are set up too (htmx:load). */
(function () {
  "use strict";
  var zh = (document.documentElement.lang || "").toLowerCase().indexOf("zh") === 0;
  var words = zh
    ? {search: "输入关键字搜索", none: "没有匹配的选项"}
    : {search: "Type to search", none: "No matching option"};

  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c];
    });
  }

  function datePickers(root) {
    if (!window.flatpickr) return;
    var locale = zh && window.flatpickr.l10ns && window.flatpickr.l10ns.zh ? window.flatpickr.l10ns.zh : "default";
    root.querySelectorAll("input[data-datepicker]").forEach(function (el) {
      if (el._flatpickr || el.disabled || el.readOnly) return;
      window.flatpickr(el, {
        // typing stays allowed (YYYY-MM-DD, read by the server); no native picker on phones,
        // which would show the phone's locale format
        dateFormat: "Y-m-d", allowInput: true, disableMobile: true, locale: locale
      });
    });
  }

  function searchable(root) {
    if (!window.TomSelect) return;
    root.querySelectorAll("select[data-searchable]").forEach(function (el) {
      if (el.tomselect || el.disabled) return;
      var multiple = el.multiple;
      new window.TomSelect(el, {
        plugins: multiple ? ["remove_button"] : [],
        maxOptions: null,
        allowEmptyOption: !multiple,
        hidePlaceholder: multiple,
        placeholder: words.search,
        closeAfterSelect: !multiple,
        render: {
          no_results: function () { return '<div class="no-results">' + escapeHtml(words.none) + "</div>"; }
        }
      });
    });
  }

  function setUp(root) {
    datePickers(root);
    searchable(root);
  }

  document.addEventListener("DOMContentLoaded", function () { setUp(document); });
  document.addEventListener("click", function (e) {
    var el = e.target.closest ? e.target.closest("[data-confirm]") : null;
    if (el && !window.confirm(el.getAttribute("data-confirm"))) e.preventDefault();
  });
  document.addEventListener("change", function (e) {
    var el = e.target;
    if (el.matches && el.matches("select[data-autosubmit]") && el.form) el.form.submit();
    if (el.id === "bulk-all") {
      document.querySelectorAll('input[name="ids"][form="bulk-form"]').forEach(function (c) { c.checked = el.checked; });
    }
  });
  document.addEventListener("htmx:load", function (event) {
    var el = event.target;
    if (el && el.querySelectorAll) {
      setUp(el.parentNode && el.parentNode.querySelectorAll ? el.parentNode : el);
    }
  });
})();
