// The ranking page's bar chart (ECharts), drawn from the JSON the page embeds with
// json_script (#ranking-data). The table on the same page holds every figure as text.
(function () {
  "use strict";

  function draw() {
    var el = document.querySelector("[data-chart='ranking']");
    var source = document.getElementById("ranking-data");
    if (!el || !source || !window.echarts) { return; }
    var data = JSON.parse(source.textContent);
    if (!data.scores.some(function (v) { return v !== null; })) {
      var note = document.createElement("p");
      note.className = "hint";
      note.textContent = data.no_data;
      el.appendChild(note);
      return;
    }
    el.style.height = Math.max(240, data.names.length * 36 + 60) + "px";
    var chart = window.echarts.init(el);
    chart.setOption({
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
    window.addEventListener("resize", function () { chart.resize(); });
  }

  document.addEventListener("DOMContentLoaded", draw);
})();
