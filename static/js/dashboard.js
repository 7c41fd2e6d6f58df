// The campaign dashboard's two charts (ECharts), drawn from the JSON the page embeds with
// json_script (#dashboard-data). The grid on the same page holds every figure as text.
(function () {
  "use strict";

  var COLOURS = {
    on_time: "#2da44e",
    late: "#d4a72c",
    returned: "#e16f24",
    missing: "#cf222e",
    pending: "#afb8c1",
    reporting_rate: "#0b5cad",
    timeliness: "#2da44e"
  };

  function empty(el, text) {
    var note = document.createElement("p");
    note.className = "hint";
    note.textContent = text;
    el.style.height = "auto";
    el.appendChild(note);
  }

  function percent(value) {
    return value === null || value === undefined ? "—" : value.toFixed(1) + "%";
  }

  function ratesChart(el, data) {
    var units = data.units;
    if (!units.names.length) { empty(el, data.labels.no_data); return null; }
    // One bar pair per unit, names on the left so long Chinese names stay readable on a phone.
    el.style.height = Math.max(260, units.names.length * 44 + 80) + "px";
    var chart = window.echarts.init(el);
    var series = ["reporting_rate", "timeliness"].map(function (key) {
      return {
        name: data.labels[key],
        type: "bar",
        data: units[key],
        itemStyle: { color: COLOURS[key] },
        label: { show: true, position: "right", formatter: function (p) { return percent(p.value); } }
      };
    });
    chart.setOption({
      animation: false,
      tooltip: { trigger: "axis", valueFormatter: percent },
      legend: { top: 0 },
      grid: { left: 8, right: 48, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
      yAxis: { type: "category", data: units.names, inverse: true },
      series: series
    });
    return chart;
  }

  function statusChart(el, data) {
    var periods = data.periods;
    if (!periods.dates.length) { empty(el, data.labels.no_data); return null; }
    var chart = window.echarts.init(el);
    var series = Object.keys(data.labels.statuses).map(function (key) {
      return {
        name: data.labels.statuses[key],
        type: "bar",
        stack: "reports",
        data: periods.series[key],
        itemStyle: { color: COLOURS[key] }
      };
    });
    chart.setOption({
      animation: false,
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 8, right: 8, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: periods.dates },
      yAxis: { type: "value", minInterval: 1 },
      series: series
    });
    return chart;
  }

  function init() {
    var source = document.getElementById("dashboard-data");
    if (!source || !window.echarts) { return; }
    var data = JSON.parse(source.textContent);
    var charts = [];
    var ratesEl = document.querySelector("[data-chart=rates]");
    var statusEl = document.querySelector("[data-chart=statuses]");
    if (ratesEl) { charts.push(ratesChart(ratesEl, data)); }
    if (statusEl) { charts.push(statusChart(statusEl, data)); }
    charts = charts.filter(Boolean);
    var pending = null;
    window.addEventListener("resize", function () {
      clearTimeout(pending);
      pending = setTimeout(function () { charts.forEach(function (c) { c.resize(); }); }, 150);
    });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); }
  else { init(); }
})();
