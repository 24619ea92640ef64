/* Resolution rate and average days per department (ECharts); data from json_script, no inline script. */
(function () {
  "use strict";
  function draw() {
    var holder = document.getElementById("problem-chart");
    var source = document.getElementById("problem-chart-data");
    if (!holder || !source || typeof echarts === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    if (!data.names.length) { holder.remove(); return; }
    var chart = echarts.init(holder);
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { data: ["解决率（%）", "平均办理天数"] },
      grid: { left: 48, right: 48, bottom: 80 },
      xAxis: { type: "category", data: data.names, axisLabel: { rotate: 30 } },
      yAxis: [{ type: "value", name: "%", max: 100 }, { type: "value", name: "天" }],
      series: [
        { name: "解决率（%）", type: "bar", data: data.rates, itemStyle: { color: "#2e7d32" } },
        { name: "平均办理天数", type: "line", yAxisIndex: 1, data: data.days, itemStyle: { color: "#b3261e" } }
      ]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  document.addEventListener("DOMContentLoaded", draw);
}());
