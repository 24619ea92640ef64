/* The bond evaluation bar chart and the month picker that submits on change (no inline scripts). */
(function () {
  "use strict";
  function init() {
    document.querySelectorAll("form[data-autosubmit] select").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });
    document.querySelectorAll("[data-chart='bond-ranking']").forEach(function (el) {
      var node = document.getElementById(el.dataset.source);
      if (!node || !window.echarts) { return; }
      var data = JSON.parse(node.textContent);
      if (!data.labels.length) { el.remove(); return; }
      var labels = data.labels.slice().reverse(), values = data.values.slice().reverse(), talk = data.talk.slice().reverse();
      el.style.height = Math.max(240, labels.length * 26) + "px";
      window.echarts.init(el).setOption({
        grid: { left: 90, right: 40, top: 20, bottom: 30 },
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
        xAxis: { type: "value", max: 100 },
        yAxis: { type: "category", data: labels, axisLabel: { interval: 0 } },
        series: [{ type: "bar", label: { show: true, position: "right" },
          data: values.map(function (v, i) { return { value: v, itemStyle: { color: talk[i] ? "#b3261e" : "#0d6efd" } }; }),
          markLine: { symbol: "none", lineStyle: { color: "#b3261e", type: "dashed" }, data: [{ xAxis: data.threshold }] } }]
      });
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
