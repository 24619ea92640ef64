/* Charts of the assessment pages (ECharts, vendored) and the pickers that submit on change.
 *
 * A chart is an element with data-chart="ranking|forecast|backtest" and data-source naming the
 * <script type="application/json"> that Django's json_script wrote; no inline scripts. */
(function () {
  "use strict";

  var RED = "#b3261e", BLUE = "#0d6efd", GREY = "#adb5bd", GREEN = "#198754";

  function readData(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function ranking(data) {
    // Rank 1 at the top: categories are listed from the bottom, so reverse them.
    var labels = data.labels.slice().reverse();
    var values = data.values.slice().reverse();
    var last = data.last.slice().reverse();
    return {
      grid: { left: 90, right: 40, top: 30, bottom: 30 },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      xAxis: { type: "value", name: "%" },
      yAxis: { type: "category", data: labels, axisLabel: { interval: 0 } },
      series: [{
        name: data.name,
        type: "bar",
        data: values.map(function (v, i) {
          return { value: v, itemStyle: { color: last[i] ? RED : (v !== null && v >= data.target ? GREEN : BLUE) } };
        }),
        label: { show: true, position: "right", formatter: function (p) { return p.value === null ? "" : p.value.toFixed(1); } },
        markLine: data.target === null ? undefined : {
          symbol: "none", lineStyle: { color: RED, type: "dashed" },
          label: { formatter: data.targetLabel + " " + data.target + "%" },
          data: [{ xAxis: data.target }]
        }
      }]
    };
  }

  function forecast(data) {
    return {
      grid: { left: 50, right: 20, top: 40, bottom: 60 },
      legend: { top: 0 },
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: data.labels, axisLabel: { interval: 0, rotate: 30 } },
      yAxis: { type: "value", name: "%" },
      series: [
        { name: data.names[0], type: "bar", data: data.current, itemStyle: { color: GREY } },
        {
          name: data.names[1], type: "bar",
          data: data.projected.map(function (v, i) { return { value: v, itemStyle: { color: data.miss[i] ? RED : GREEN } }; })
        },
        { name: data.names[2], type: "line", step: "middle", symbol: "none", data: data.target, lineStyle: { color: RED, type: "dashed" } }
      ]
    };
  }

  function backtest(data) {
    return {
      grid: { left: 50, right: 20, top: 30, bottom: 30 },
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: data.months },
      yAxis: { type: "value", name: data.name, nameTextStyle: { align: "left" } },
      series: [{ name: data.name, type: "line", data: data.errors, itemStyle: { color: BLUE }, areaStyle: { opacity: 0.15 } }]
    };
  }

  var BUILDERS = { ranking: ranking, forecast: forecast, backtest: backtest };

  function drawCharts() {
    if (typeof window.echarts === "undefined") { return; }
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var build = BUILDERS[el.getAttribute("data-chart")];
      var data = readData(el.getAttribute("data-source"));
      if (!build || !data) { return; }
      var chart = window.echarts.init(el);
      chart.setOption(build(data));
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }

  function autoSubmit() {
    document.querySelectorAll("select.tj-autosubmit").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });
  }

  function start() { autoSubmit(); drawCharts(); }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
