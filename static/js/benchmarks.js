// Benchmark pages. On a benchmark's page: one small line chart per indicator (ECharts), our
// values against the benchmark's by month, drawn from the JSON the page embeds with
// json_script (#benchmark-data); the table under each chart holds the same figures as text.
// On the list page: the add form shows only the field that fits the chosen kind.
(function () {
  "use strict";

  function drawTrends() {
    var source = document.getElementById("benchmark-data");
    if (!source || !window.echarts) { return; }
    var data = JSON.parse(source.textContent);
    data.indicators.forEach(function (item) {
      var el = document.querySelector("[data-chart='benchmark-trend'][data-indicator-id='" + item.id + "']");
      if (!el) { return; }
      var hasData = item.own.concat(item.benchmark).some(function (v) { return v !== null; });
      if (!hasData) {
        var note = document.createElement("p");
        note.className = "hint";
        note.textContent = data.no_data;
        el.appendChild(note);
        return;
      }
      el.style.height = "220px";
      var chart = window.echarts.init(el);
      chart.setOption({
        grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
        legend: { top: 0 },
        tooltip: { trigger: "axis" },
        xAxis: { type: "category", data: data.periods },
        yAxis: { type: "value", scale: true },
        // A missing month leaves a gap in the line rather than dropping to 0.
        series: [
          { name: data.own_label, type: "line", data: item.own, connectNulls: false,
            itemStyle: { color: "#0b5cad" } },
          { name: data.benchmark_label, type: "line", data: item.benchmark, connectNulls: false,
            lineStyle: { type: "dashed" }, itemStyle: { color: "#bf8700" } }
        ]
      });
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }

  function fieldOf(id) {
    var input = document.getElementById(id);
    return input ? input.closest(".field") : null;
  }

  function toggleKindFields() {
    var form = document.querySelector("[data-benchmark-form]");
    if (!form) { return; }
    var unitField = fieldOf("id_benchmark_unit");
    var nameField = fieldOf("id_name");
    function update() {
      var checked = form.querySelector("input[name='kind']:checked");
      var kind = checked ? checked.value : "";
      if (unitField) { unitField.hidden = kind === "outside"; }
      if (nameField) { nameField.hidden = kind === "unit"; }
    }
    form.querySelectorAll("input[name='kind']").forEach(function (radio) {
      radio.addEventListener("change", update);
    });
    update();
  }

  document.addEventListener("DOMContentLoaded", function () {
    drawTrends();
    toggleKindFields();
  });
})();
