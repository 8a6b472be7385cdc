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
  var d = JSON.parse(document.getElementById("report-data").textContent);
  var L = document.getElementById("report-labels").dataset;
  function chart(id, option) {
    var el = document.getElementById(id);
    if (!el || typeof echarts === "undefined") return;
    var c = echarts.init(el);
    c.setOption(option);
    window.addEventListener("resize", function () { c.resize(); });
  }
  chart("chart-months", {
    tooltip: {trigger: "axis", renderMode: "richText"}, legend: {data: [L.registered, L.closed]},
    xAxis: {type: "category", data: d.months}, yAxis: {type: "value", minInterval: 1},
    series: [{name: L.registered, type: "bar", data: d.registered}, {name: L.closed, type: "bar", data: d.closed}]
  });
  chart("chart-units", {
    tooltip: {trigger: "axis", renderMode: "richText"}, legend: {data: [L.assigned, L.closed]}, grid: {containLabel: true},
    xAxis: {type: "value", minInterval: 1}, yAxis: {type: "category", data: d.units.slice().reverse()},
    series: [{name: L.assigned, type: "bar", data: d.unit_assigned.slice().reverse()},
             {name: L.closed, type: "bar", data: d.unit_closed.slice().reverse()}]
  });
  chart("chart-channels", {
    tooltip: {trigger: "item", renderMode: "richText"}, series: [{type: "pie", radius: ["35%", "65%"], data: d.channels}]
  });
  chart("chart-categories", {
    tooltip: {trigger: "item", renderMode: "richText"}, series: [{type: "pie", radius: "60%", data: d.categories}]
  });
})();
