// Visit pages: the phone form's checklist switcher, list filters and group counter, and the
// form's one-time token kept with its draft (static/js/ducha.js keeps the typed fields).
// A visit form re-sent after a lost connection or a reload carries the same token, so the
// server records the visit once.
(function () {
  "use strict";

  function tokenKey(form) { return "ducha-token:" + form.dataset.draft; }

  function keepToken(form) {
    var input = form.querySelector("input[name=client_token]");
    if (!input || !form.dataset.draft) { return; }
    try {
      var kept = localStorage.getItem(tokenKey(form));
      var hasErrors = form.querySelector(".error, .errors");
      if (kept && !hasErrors) { input.value = kept; }
      else { localStorage.setItem(tokenKey(form), input.value); }
    } catch (e) { /* storage disabled: the server still refuses an identical visit */ }
  }

  function checklists(form) {
    var select = form.querySelector("select[name=checklist]");
    if (!select) { return; }
    function show() {
      form.querySelectorAll("[data-checklist]").forEach(function (fs) {
        fs.hidden = fs.dataset.checklist !== select.value;
      });
    }
    select.addEventListener("change", show);
    show();
  }

  function groupCounter(form) {
    var box = form.querySelector("[data-group-max]");
    if (!box) { return; }
    var max = parseInt(box.dataset.groupMax, 10);
    var out = box.querySelector("[data-group-count]");
    function count() {
      var n = box.querySelectorAll("input[type=checkbox]:checked").length;
      out.textContent = n + " / " + max;
      box.classList.toggle("has-error", n > max);
    }
    box.addEventListener("change", count);
    count();
  }

  function filters() {
    document.querySelectorAll("[data-filter-for]").forEach(function (input) {
      var list = document.getElementById(input.dataset.filterFor);
      input.addEventListener("input", function () {
        var q = input.value.trim().toLowerCase();
        list.querySelectorAll("label.check").forEach(function (label) {
          var checked = label.querySelector("input").checked;
          label.hidden = q !== "" && !checked && label.textContent.toLowerCase().indexOf(q) === -1;
        });
      });
    });
  }

  function init() {
    document.querySelectorAll("form[data-visit-form]").forEach(function (form) {
      keepToken(form);
      checklists(form);
      groupCounter(form);
    });
    filters();
    document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });
    // The saved visit's page names its draft: its token goes with it.
    document.querySelectorAll("[data-draft-saved]").forEach(function (el) {
      try { localStorage.removeItem("ducha-token:" + el.dataset.draftSaved); } catch (e) { /* */ }
    });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); }
  else { init(); }
})();
