/* The budget chart (ECharts, vendored): budget, committed and paid per rule, from json_script data. */
(function () {
  "use strict";
  function draw() {
    var el = document.querySelector('[data-chart="budget"]');
    if (!el || !window.echarts) { return; }
    var node = document.getElementById(el.getAttribute("data-source"));
    if (!node) { return; }
    var data = JSON.parse(node.textContent);
    var chart = window.echarts.init(el);
    chart.setOption({
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { data: ["预算", "已承诺", "已拨付"] },
      grid: { left: 60, right: 20, top: 40, bottom: 40 },
      xAxis: { type: "category", data: data.rules, axisLabel: { interval: 0 } },
      yAxis: { type: "value", name: "万元" },
      series: [
        { name: "预算", type: "bar", data: data.budget, itemStyle: { color: "#adb5bd" } },
        { name: "已承诺", type: "bar", data: data.committed, itemStyle: { color: "#0d6efd" } },
        { name: "已拨付", type: "bar", data: data.paid, itemStyle: { color: "#198754" } }
      ]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
}());
