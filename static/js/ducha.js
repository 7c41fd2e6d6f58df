// Ducha page behaviour: no inline handlers, no bundler.
// Forms marked data-draft="<key>" keep what was typed in localStorage, so a lost connection,
// a reload or an expired session loses nothing; the draft is cleared when the server accepts it.
(function () {
  "use strict";

  function draftKey(form) {
    return "ducha-draft:" + form.dataset.draft;
  }

  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.name !== "csrfmiddlewaretoken" && el.type !== "file" &&
        el.type !== "password" && el.type !== "submit" && el.type !== "hidden";
    });
  }

  function save(form) {
    var data = {};
    fields(form).forEach(function (el) {
      if (el.type === "checkbox" || el.type === "radio") {
        if (el.checked) { (data[el.name] = data[el.name] || []).push(el.value); }
        else if (!(el.name in data)) { data[el.name] = data[el.name] || []; }
      } else if (el.multiple) {
        data[el.name] = Array.prototype.map.call(el.selectedOptions, function (o) { return o.value; });
      } else {
        data[el.name] = el.value;
      }
    });
    try { localStorage.setItem(draftKey(form), JSON.stringify({ at: Date.now(), data: data })); }
    catch (e) { /* storage full or disabled: nothing to keep */ }
  }

  function restore(form) {
    var raw = localStorage.getItem(draftKey(form));
    if (!raw) { return; }
    var draft;
    try { draft = JSON.parse(raw); } catch (e) { return; }
    var restored = false;
    fields(form).forEach(function (el) {
      if (!(el.name in draft.data)) { return; }
      var v = draft.data[el.name];
      if (el.type === "checkbox" || el.type === "radio") {
        var want = Array.isArray(v) && v.indexOf(el.value) !== -1;
        if (el.checked !== want) { el.checked = want; restored = true; }
      } else if (el.multiple) {
        Array.prototype.forEach.call(el.options, function (o) { o.selected = v.indexOf(o.value) !== -1; });
        restored = true;
      } else if (el.value !== v) {
        el.value = v; restored = true;
      }
    });
    if (restored) {
      var note = form.querySelector("[data-draft-note]");
      if (note) { note.hidden = false; }
    }
  }

  function init() {
    document.querySelectorAll("form[data-draft]").forEach(function (form) {
      if (form.dataset.draftClear === "1") {
        localStorage.removeItem(draftKey(form));
      } else {
        restore(form);
      }
      form.addEventListener("input", function () { save(form); });
      form.addEventListener("change", function () { save(form); });
      form.addEventListener("submit", function () { save(form); });
      var discard = form.querySelector("[data-draft-discard]");
      if (discard) {
        discard.addEventListener("click", function () {
          localStorage.removeItem(draftKey(form));
          form.reset();
          var note = form.querySelector("[data-draft-note]");
          if (note) { note.hidden = true; }
        });
      }
    });
    // A page that confirms a saved record names the draft to drop.
    document.querySelectorAll("[data-draft-saved]").forEach(function (el) {
      localStorage.removeItem("ducha-draft:" + el.dataset.draftSaved);
    });
    document.querySelectorAll("[data-confirm]").forEach(function (el) {
      el.addEventListener("click", function (ev) {
        if (!window.confirm(el.dataset.confirm)) { ev.preventDefault(); }
      });
    });
    // Double clicks never submit twice.
    document.querySelectorAll("form").forEach(function (form) {
      form.addEventListener("submit", function () {
        form.querySelectorAll("button[type=submit]").forEach(function (b) {
          setTimeout(function () { b.disabled = true; }, 0);
        });
      });
    });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); }
  else { init(); }
})();
