/* The work report page: the period picker shows only the fields of the chosen kind (as on the
 * statistics page; without script every field shows and the form still works). A file, not
 * inline, for the Content-Security-Policy. */
(function () {
  var picker = document.getElementById("period-picker");
  if (!picker) return;
  var kind = picker.querySelector("[name=kind]");
  var show = function () {
    picker.querySelectorAll("[data-kinds]").forEach(function (el) {
      var on = el.getAttribute("data-kinds").split(" ").indexOf(kind.value) >= 0;
      el.classList.toggle("d-none", !on);
      el.querySelectorAll("select, input").forEach(function (f) { f.disabled = !on; });
    });
  };
  kind.addEventListener("change", show);
  show();
})();
