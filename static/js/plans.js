// Plan import review: a mark in the document leads to its field, a field to its marks.
(function () {
  "use strict";

  function rowsFor(key) {
    return document.querySelectorAll(".plan-draft [data-source='" + key + "']");
  }

  function marksFor(key) {
    return document.querySelectorAll(".plan-text mark[data-source='" + key + "']");
  }

  function activate(key) {
    document.querySelectorAll(".is-active").forEach(function (el) { el.classList.remove("is-active"); });
    marksFor(key).forEach(function (m) { m.classList.add("is-active"); });
    rowsFor(key).forEach(function (r) { r.classList.add("is-active"); });
  }

  function init() {
    var doc = document.querySelector("[data-plan-text]");
    if (!doc) { return; }
    doc.addEventListener("click", function (ev) {
      var mark = ev.target.closest("mark[data-source]");
      if (!mark) { return; }
      var key = mark.dataset.source;
      activate(key);
      var row = rowsFor(key)[0];
      if (row) {
        row.scrollIntoView({ block: "center", behavior: "smooth" });
        var input = row.querySelector("input:not([type=hidden]), select, textarea");
        if (input) { input.focus({ preventScroll: true }); }
      }
    });
    document.querySelector(".plan-draft").addEventListener("focusin", function (ev) {
      var row = ev.target.closest("[data-source]");
      if (!row) { return; }
      var key = row.dataset.source;
      activate(key);
      var mark = marksFor(key)[0];
      if (mark) {
        // Scroll the document pane only, not the page.
        doc.scrollTop = mark.offsetTop - doc.offsetTop - doc.clientHeight / 3;
      }
    });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); }
  else { init(); }
})();
