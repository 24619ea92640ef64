/* The cockpit's charts (ECharts): map of the units, ranking bars, monthly trend.
   Data comes from the page's <script type="application/json" id="cockpit-data"> (json_script);
   no inline script, so the page works under a Content-Security-Policy without 'unsafe-inline'. */
(function () {
  "use strict";

  var COLOURS = { falling: "#b3261e", below: "#f0a04b", met: "#74b96f", well: "#2e7d32", none: "#ced4da" };

  function colourFor(value, target) {
    if (value === null || value === undefined) { return COLOURS.none; }
    if (value < 0) { return COLOURS.falling; }
    if (target !== null && value < target) { return COLOURS.below; }
    if (target !== null && value >= target + 5) { return COLOURS.well; }
    return COLOURS.met;
  }

  function pieces(target) {
    var t = target === null || target === undefined ? 0 : target;
    return [
      { lt: 0, color: COLOURS.falling, label: "负增长" },
      { gte: 0, lt: t, color: COLOURS.below, label: "低于目标（<" + t + "%）" },
      { gte: t, lt: t + 5, color: COLOURS.met, label: "达到目标" },
      { gte: t + 5, color: COLOURS.well, label: "高于目标5个百分点以上" }
    ];
  }

  function fmt(v) { return v === null || v === undefined ? "—" : v.toFixed(1) + "%"; }

  function setBars() {
    document.querySelectorAll("[data-width]").forEach(function (el) {
      var w = Math.max(0, Math.min(100, parseFloat(el.getAttribute("data-width")) || 0));
      if (el.classList.contains("tj-bar-tp")) { el.style.left = w + "%"; } else { el.style.width = w + "%"; }
    });
  }

  function rankingOption(data, indicator) {
    var r = data.rankings[indicator];
    var rows = r.rows.slice().sort(function (a, b) { return (a.rank || 99) - (b.rank || 99); });
    return {
      title: { text: r.name + "增速排名", left: 0, textStyle: { fontSize: 14 } },
      grid: { left: 8, right: 48, top: 36, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" },
        formatter: function (p) { var row = rows[p[0].dataIndex]; return row.name + "<br>第" + row.rank + "名：" + fmt(row.value); } },
      xAxis: { type: "value", axisLabel: { formatter: "{value}%" } },
      yAxis: { type: "category", inverse: true, data: rows.map(function (x) { return x.rank + ". " + x.short; }),
        axisLabel: { fontWeight: function () { return "normal"; } } },
      series: [{
        type: "bar", barMaxWidth: 16,
        data: rows.map(function (x) {
          var own = data.unit && x.org === data.unit;
          return { value: x.value, itemStyle: { color: colourFor(x.value, r.target),
            borderColor: own ? "#212529" : undefined, borderWidth: own ? 2 : 0 } };
        }),
        label: { show: true, position: "right", formatter: function (p) { return fmt(p.value); }, fontSize: 11 },
        markLine: r.target === null ? undefined : { symbol: "none", lineStyle: { color: "#b3261e", type: "dashed" },
          label: { formatter: "目标 " + r.target + "%", position: "start" }, data: [{ xAxis: r.target }] }
      }]
    };
  }

  function trendOption(data, indicator) {
    var t = data.trend, ind = t.indicators.filter(function (x) { return x.code === indicator; })[0];
    return {
      title: { text: (data.unit ? "本单位" : "全市") + ind.name + "累计增速", left: 0, textStyle: { fontSize: 14 } },
      grid: { left: 8, right: 16, top: 60, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", valueFormatter: fmt },
      legend: { top: 26, data: [t.year + "年", (t.year - 1) + "年"] },
      xAxis: { type: "category", data: t.months, boundaryGap: false },
      yAxis: { type: "value", axisLabel: { formatter: "{value}%" }, scale: true },
      series: [
        { name: t.year + "年", type: "line", data: ind.current, symbolSize: 6, lineStyle: { width: 3, color: "#b3261e" },
          itemStyle: { color: "#b3261e" }, connectNulls: false,
          markLine: ind.target === null ? undefined : { symbol: "none", lineStyle: { color: "#2e7d32", type: "dashed" },
            label: { formatter: "目标 " + ind.target + "%", position: "insideEndTop" }, data: [{ yAxis: ind.target }] } },
        { name: (t.year - 1) + "年", type: "line", data: ind.previous, symbol: "none",
          lineStyle: { type: "dashed", color: "#6c757d" }, itemStyle: { color: "#6c757d" } }
      ]
    };
  }

  /* The urban core (the small central districts and three of the zones) is too small to label on the
     whole-city map, so an inset shows it enlarged: units whose marker lies inside CORE are labelled
     there, the others on the main map. */
  var CORE = { west: 113.50, east: 113.80, south: 34.68, north: 34.90 };

  function inCore(u) {
    return u.centre[0] >= CORE.west && u.centre[0] <= CORE.east && u.centre[1] >= CORE.south && u.centre[1] <= CORE.north;
  }

  function mapOption(data, indicator) {
    var r = data.rankings[indicator];
    var byOrg = {};
    r.rows.forEach(function (x) { byOrg[x.org] = x; });
    var units = data.map.units.map(function (u) {
      var row = byOrg[u.code] || {};
      return { code: u.code, name: u.name, short: u.short, kind: u.kind, centre: u.centre,
        value: row.value === undefined ? null : row.value, rank: row.rank };
    });
    var districts = units.filter(function (u) { return u.kind === "district"; });
    var zones = units.filter(function (u) { return u.kind !== "district"; });
    var own = data.unit;
    function tip(u) { return u.name + "<br>" + r.name + "增速：" + fmt(u.value) + (u.rank ? "（第" + u.rank + "名）" : ""); }
    function labelText(u) { return (u.code === own ? "★" : "") + u.short + "\n" + fmt(u.value); }
    var geoStyle = { itemStyle: { areaColor: COLOURS.none, borderColor: "#ffffff", borderWidth: 1 },
      emphasis: { label: { show: false }, itemStyle: { areaColor: "#ffe08a" } }, label: { show: false }, roam: false };
    var main = Object.assign({ map: "zhengzhou", left: 4, top: 60, bottom: 44, width: "58%" }, geoStyle);
    var inset = Object.assign({ map: "zhengzhou-core", right: 84, top: 92, bottom: 60, width: "30%" }, geoStyle);
    var pieceList = pieces(r.target);
    function zoneSeries(geoIndex, list, eastEdge) {
      /* Labels go right of the pin, or left of it for pins near the right edge of their map. */
      return { type: "scatter", coordinateSystem: "geo", geoIndex: geoIndex, symbol: "pin", symbolSize: 26, z: 5,
        name: "开发区", itemStyle: { borderColor: "#212529", borderWidth: 1 },
        data: list.map(function (u) {
          return { name: u.short, value: [u.centre[0], u.centre[1], u.value], unit: u,
            label: { position: eastEdge !== null && u.centre[0] > eastEdge ? "left" : "right" } };
        }),
        label: { show: true, position: "right", formatter: function (p) { return labelText(p.data.unit).replace("\n", " "); },
          fontSize: 11, color: "#212529", backgroundColor: "rgba(255,255,255,.85)", padding: [1, 3] },
        labelLayout: { moveOverlap: "shiftY" } };
    }
    /* Two labels whose points are close (within dx, dy degrees) go apart: the western one to the
       left of its point, the eastern one to the right. */
    function labelPosition(u, list, dx, dy) {
      var near = list.filter(function (v) {
        return v !== u && Math.abs(v.centre[0] - u.centre[0]) < dx && Math.abs(v.centre[1] - u.centre[1]) < dy;
      });
      if (!near.length) { return "inside"; }
      return near.every(function (v) { return u.centre[0] < v.centre[0]; }) ? "left" :
        near.every(function (v) { return u.centre[0] > v.centre[0]; }) ? "right" : "inside";
    }
    function labelSeries(geoIndex, list, size, dx, dy) {
      return { type: "scatter", coordinateSystem: "geo", geoIndex: geoIndex, symbolSize: 0, silent: true, z: 4,
        data: list.map(function (u) {
          return { name: u.short, value: [u.centre[0], u.centre[1]], unit: u,
            label: { position: labelPosition(u, list, dx, dy) } };
        }),
        label: { show: true, formatter: function (p) { return labelText(p.data.unit); }, fontSize: size,
          color: "#212529", lineHeight: size + 2, fontWeight: "normal" },
        labelLayout: { moveOverlap: "shiftY" } };
    }
    var outer = districts.filter(function (u) { return !inCore(u); });
    var core = districts.filter(inCore);
    return {
      title: [{ text: r.name + "增速分布", subtext: "区县（市）按行政区划着色，开发区为标注点", left: 0,
        textStyle: { fontSize: 14 }, subtextStyle: { fontSize: 11 } },
        { text: "市区放大", right: 8, top: 64, textStyle: { fontSize: 12, color: "#6c757d" } }],
      tooltip: { trigger: "item", formatter: function (p) { return p.data && p.data.unit ? tip(p.data.unit) : p.name; } },
      visualMap: [
        { type: "piecewise", pieces: pieceList, left: 0, bottom: 0, orient: "horizontal", itemWidth: 12,
          itemHeight: 10, textStyle: { fontSize: 11 }, seriesIndex: [0, 1] },
        { type: "piecewise", pieces: pieceList, show: false, seriesIndex: [2, 3], dimension: 2 }
      ],
      geo: [main, inset],
      series: [
        { type: "map", geoIndex: 0, name: r.name,
          data: districts.map(function (u) { return { name: u.name, value: u.value, unit: u }; }) },
        { type: "map", geoIndex: 1, name: r.name,
          data: districts.map(function (u) { return { name: u.name, value: u.value, unit: u }; }) },
        zoneSeries(0, zones.filter(function (u) { return !inCore(u); }), null),
        zoneSeries(1, zones.filter(inCore), null),
        labelSeries(0, outer, 11, 0.12, 0.06),
        labelSeries(1, core, 11, 0.03, 0.03)
      ]
    };
  }

  function start() {
    setBars();
    var form = document.getElementById("period-form");
    var select = document.getElementById("period-select");
    if (form && select) { select.addEventListener("change", function () { form.submit(); }); }
    var source = document.getElementById("cockpit-data");
    if (!source || typeof echarts === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var indicator = data.default_indicator;
    var rankingEl = document.getElementById("ranking-chart");
    var trendEl = document.getElementById("trend-chart");
    var mapEl = document.getElementById("map-chart");
    var ranking = echarts.init(rankingEl), trend = echarts.init(trendEl), map = null;

    function draw() {
      ranking.setOption(rankingOption(data, indicator), true);
      trend.setOption(trendOption(data, indicator), true);
      if (map) { map.setOption(mapOption(data, indicator), true); }
    }

    document.querySelectorAll("#indicator-tabs [data-indicator]").forEach(function (button) {
      if (button.getAttribute("data-indicator") === indicator) {
        document.querySelectorAll("#indicator-tabs .active").forEach(function (b) { b.classList.remove("active"); });
        button.classList.add("active");
      }
      button.addEventListener("click", function () {
        indicator = button.getAttribute("data-indicator");
        document.querySelectorAll("#indicator-tabs .active").forEach(function (b) { b.classList.remove("active"); });
        button.classList.add("active");
        draw();
      });
    });

    draw();
    fetch(mapEl.getAttribute("data-geojson"), { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (geo) {
        /* ECharts decodes a map's coordinates in place: each map gets its own copy. */
        var copy = JSON.parse(JSON.stringify(geo));
        echarts.registerMap("zhengzhou", geo);
        /* The inset's map: only the districts whose label point lies in the urban core. */
        var coreNames = {};
        data.map.units.forEach(function (u) { if (u.kind === "district" && inCore(u)) { coreNames[u.name] = true; } });
        echarts.registerMap("zhengzhou-core", { type: "FeatureCollection", UTF8Encoding: copy.UTF8Encoding,
          features: copy.features.filter(function (f) { return coreNames[f.properties.name]; }) });
        map = echarts.init(mapEl);
        draw();
        mapEl.setAttribute("data-ready", "1");
      });
    window.addEventListener("resize", function () { ranking.resize(); trend.resize(); if (map) { map.resize(); } });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
