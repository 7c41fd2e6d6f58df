// The ranking page's charts (ECharts), drawn from the JSON the page embeds with json_script
// (#ranking-data): scores by unit, the indicator heat map and the score trend. The table on
// the same page holds every figure as text.
(function () {
  "use strict";

  function noData(el, text) {
    var note = document.createElement("p");
    note.className = "hint";
    note.textContent = text;
    el.appendChild(note);
  }

  function chartOn(el, height) {
    el.style.height = height + "px";
    var chart = window.echarts.init(el);
    window.addEventListener("resize", function () { chart.resize(); });
    return chart;
  }

  function drawBars(el, data) {
    if (!data.scores.some(function (v) { return v !== null; })) { noData(el, data.no_data); return; }
    chartOn(el, Math.max(240, data.names.length * 36 + 60)).setOption({
      grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: "value", max: 100 },
      yAxis: { type: "category", data: data.names, inverse: true },
      series: [{
        name: data.label,
        type: "bar",
        // A unit failed by a veto item is drawn red; a missing score draws no bar.
        data: data.scores.map(function (v, i) {
          return { value: v, itemStyle: { color: data.failed[i] ? "#cf222e" : "#0b5cad" } };
        }),
        label: { show: true, position: "right" }
      }]
    });
  }

  function drawHeat(el, data) {
    var heat = data.heat;
    if (!heat.cells.length) { noData(el, data.no_data); return; }
    chartOn(el, Math.max(240, heat.units.length * 30 + 120)).setOption({
      tooltip: {
        formatter: function (p) {
          return heat.units[p.value[1]] + "<br>" + heat.indicators[p.value[0]] + ": " +
            heat.value_label + " " + p.value[3] + " · " + heat.label + " " + p.value[2];
        }
      },
      grid: { left: 8, right: 8, top: 8, bottom: 70, containLabel: true },
      xAxis: { type: "category", data: heat.indicators, axisLabel: { interval: 0, rotate: 30 } },
      yAxis: { type: "category", data: heat.units, inverse: true },
      visualMap: {
        min: 0, max: 100, calculable: false, orient: "horizontal", left: "center", bottom: 0,
        inRange: { color: ["#cf222e", "#f2cc60", "#2da44e"] }
      },
      series: [{
        name: heat.label,
        type: "heatmap",
        data: heat.cells,
        label: { show: true, formatter: function (p) { return p.value[3]; } }
      }]
    });
  }

  function drawTrend(el, data) {
    var trend = data.trend;
    var any = trend.series.some(function (s) { return s.data.some(function (v) { return v !== null; }); });
    if (!any) { noData(el, data.no_data); return; }
    chartOn(el, 300).setOption({
      tooltip: { trigger: "axis" },
      legend: { type: "scroll", bottom: 0 },
      grid: { left: 8, right: 16, top: 16, bottom: 40, containLabel: true },
      xAxis: { type: "category", data: trend.months },
      yAxis: { type: "value", max: 100 },
      series: trend.series.map(function (s) {
        return { name: s.name, type: "line", data: s.data, connectNulls: false };
      })
    });
  }

  function draw() {
    var source = document.getElementById("ranking-data");
    if (!source || !window.echarts) { return; }
    var data = JSON.parse(source.textContent);
    var drawers = { ranking: drawBars, heat: drawHeat, trend: drawTrend };
    Object.keys(drawers).forEach(function (name) {
      var el = document.querySelector("[data-chart='" + name + "']");
      if (el) { drawers[name](el, data); }
    });
  }

  document.addEventListener("DOMContentLoaded", draw);
})();
