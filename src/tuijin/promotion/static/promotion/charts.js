/* Deals per tier against the targets (ECharts, vendored; no inline scripts). */
(function () {
  "use strict";
  function init() {
    document.querySelectorAll("[data-chart='tiers']").forEach(function (el) {
      var node = document.getElementById(el.dataset.source);
      if (!node || !window.echarts) { return; }
      var data = JSON.parse(node.textContent);
      el.style.height = "260px";
      window.echarts.init(el).setOption({
        tooltip: { trigger: "axis" },
        legend: { data: ["目标", "已签约"] },
        grid: { left: 40, right: 20, top: 40, bottom: 40 },
        xAxis: { type: "category", data: data.bands, axisLabel: { interval: 0 } },
        yAxis: { type: "value" },
        series: [
          { name: "目标", type: "bar", data: data.targets, itemStyle: { color: "#adb5bd" } },
          { name: "已签约", type: "bar", data: data.actual, itemStyle: { color: "#0d6efd" }, label: { show: true, position: "top" } }
        ]
      });
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
