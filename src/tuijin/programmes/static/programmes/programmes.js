/* Programme charts (ECharts). Data comes from json_script blocks; no inline script (CSP). */
(function () {
  "use strict";

  function readJson(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  function barChart(el, data) {
    var series = [{ type: "bar", name: data.label, data: data.values, itemStyle: { color: "#3a6ea5" } }];
    if (data.time_progress !== null && data.time_progress !== undefined) {
      series[0].markLine = { symbol: "none", data: [{ yAxis: data.time_progress, name: "序时进度" }],
                             lineStyle: { color: "#b3261e" }, label: { formatter: "序时进度 {c}%" } };
    }
    echarts.init(el).setOption({
      title: { text: data.label, left: 0, textStyle: { fontSize: 14 } },
      tooltip: { trigger: "axis" },
      grid: { left: 50, right: 20, top: 40, bottom: 70 },
      xAxis: { type: "category", data: data.names, axisLabel: { rotate: 40 } },
      yAxis: { type: "value" },
      series: series
    });
  }

  function batchChart(el, data) {
    var labels = { fulfilment_rate: "履约率", start_rate: "开工率", production_rate: "投产率", capacity_rate: "达效率" };
    var series = Object.keys(labels).map(function (k) {
      return { type: "bar", name: labels[k], data: data.series[k] };
    });
    echarts.init(el).setOption({
      tooltip: { trigger: "axis" }, legend: { top: 0 },
      grid: { left: 50, right: 20, top: 40, bottom: 30 },
      xAxis: { type: "category", data: data.names }, yAxis: { type: "value", max: 100 },
      series: series
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (typeof echarts === "undefined") { return; }
    var el = document.getElementById("programme-chart");
    var data = readJson("programme-chart-data");
    if (el && data) { barChart(el, data); }
    var bel = document.getElementById("batch-chart");
    var bdata = readJson("batch-chart-data");
    if (bel && bdata) { batchChart(bel, bdata); }
  });
}());
