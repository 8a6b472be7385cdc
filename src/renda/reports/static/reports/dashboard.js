/* The statistics page: the period picker and the charts (ECharts, vendored). Loaded as a file,
 * not inline, for the Content-Security-Policy (script-src 'self'); the data and the words come
 * from the page (#report-data, a JSON block; #report-labels, data attributes). Tooltips are drawn in the canvas
 * (renderMode richText): ECharts' HTML tooltips carry style attributes, which the CSP refuses. */
(function () {
  // The period picker shows only the fields of the chosen kind (without script: all of them).
  var picker = document.getElementById("period-picker");
  if (picker) {
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
  }
})();
(function () {
  // The panels' charts: one spec per panel in #report-data (reports.dashboards.Panel.as_chart); the
  // table below each chart holds the same numbers.
  var data = document.getElementById("report-data");
  if (!data || typeof echarts === "undefined") return;
  var narrow = window.matchMedia("(max-width: 576px)").matches;
  JSON.parse(data.textContent).forEach(function (spec) {
    var el = document.getElementById(spec.id);
    if (!el) return;
    var fmt = spec.percent ? "{value}%" : "{value}";
    var option;
    if (spec.type === "pie") {
      option = {tooltip: {trigger: "item", renderMode: "richText"},
                legend: {type: "scroll", bottom: 0},
                series: [{type: "pie", radius: narrow ? ["30%", "55%"] : ["35%", "65%"], top: -20,
                          data: spec.names.map(function (n, i) { return {name: n, value: spec.series[0].data[i]}; })}]};
    } else {
      var horizontal = spec.type === "hbar";
      var names = horizontal ? spec.names.slice().reverse() : spec.names;
      var category = {type: "category", data: names,
                      axisLabel: {width: narrow ? 80 : 140, overflow: "truncate", interval: 0,
                                  rotate: !horizontal && names.length > 6 ? 45 : 0}};
      var value = {type: "value", minInterval: spec.percent ? 0 : 1, axisLabel: {formatter: fmt}};
      if (spec.percent) value.max = 100;
      option = {tooltip: {trigger: "axis", renderMode: "richText"},
                legend: {show: spec.series.length > 1, top: 0},
                grid: {containLabel: true, left: 8, right: 16, top: spec.series.length > 1 ? 30 : 10, bottom: 8},
                xAxis: horizontal ? value : category, yAxis: horizontal ? category : value,
                series: spec.series.map(function (s) {
                  return {name: s.name, type: "bar", data: horizontal ? s.data.slice().reverse() : s.data};
                })};
      if (horizontal) el.style.height = Math.max(260, 40 + names.length * 26 * spec.series.length) + "px";
    }
    var c = echarts.init(el);
    c.setOption(option);
    window.addEventListener("resize", function () { c.resize(); });
  });
})();
