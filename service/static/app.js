// Live status: elements with data-poll ask the API for their document until it is done.
(function () {
  "use strict";
  var PENDING = ["hochgeladen", "in Verarbeitung"];

  function announce(text) {
    var region = document.getElementById("status-announcer");
    if (region) { region.textContent = text; }
  }

  function poll(el) {
    fetch(el.getAttribute("data-poll"), { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (doc) {
        if (!doc) { return; }
        if (doc.status !== el.textContent) {
          el.textContent = doc.status;
          el.className = "status status-" + doc.status.replace(/ /g, "-");
          announce(doc.title + ": " + doc.status);
        }
        if (PENDING.indexOf(doc.status) === -1) {
          el.removeAttribute("data-poll");
          if (el.getAttribute("data-reload")) { window.location.reload(); }
        }
      })
      .catch(function () { /* next tick tries again */ });
  }

  function tick() {
    var els = document.querySelectorAll("[data-poll]");
    for (var i = 0; i < els.length; i++) { poll(els[i]); }
    if (els.length) { window.setTimeout(tick, 1500); }
  }

  document.addEventListener("DOMContentLoaded", function () { window.setTimeout(tick, 800); });
})();

// Text modules: a button with data-insert appends its data-text to the named textarea.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-insert]");
    if (!button) { return; }
    var area = document.getElementById(button.getAttribute("data-insert"));
    if (!area) { return; }
    var text = button.getAttribute("data-text") || "";
    area.value = area.value ? area.value.replace(/\s*$/, "") + "\n\n" + text : text;
    area.focus();
  });
})();

// A refused form: "Zurück zum Formular" goes back in the history, where the browser still
// holds what was typed (the link's address, the form page, is the fallback).
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[data-back]") : null;
    if (link && window.history.length > 1) {
      event.preventDefault();
      window.history.back();
    }
  });
})();
