// Review page: "Quelle" marks the item's passage in the source text and scrolls to it.
(function () {
  "use strict";

  function locate(container, offset) {
    var pages = container.querySelectorAll(".page");
    var found = null;
    for (var i = 0; i < pages.length; i++) {
      if (parseInt(pages[i].getAttribute("data-offset"), 10) <= offset) { found = pages[i]; } else { break; }
    }
    if (!found || !found.firstChild) { return null; }
    var node = found.firstChild;
    var local = offset - parseInt(found.getAttribute("data-offset"), 10);
    return { node: node, offset: Math.max(0, Math.min(local, node.textContent.length)) };
  }

  function mark(button) {
    var container = document.getElementById("source-text");
    var start = parseInt(button.getAttribute("data-start"), 10);
    var end = parseInt(button.getAttribute("data-end"), 10);
    var a = locate(container, start);
    var b = locate(container, Math.max(start, end - 1));
    if (!a || !b) { return; }
    var range = document.createRange();
    range.setStart(a.node, a.offset);
    range.setEnd(b.node, Math.min(b.offset + 1, b.node.textContent.length));
    if (window.CSS && CSS.highlights && window.Highlight) {
      CSS.highlights.set("quelle", new Highlight(range));
    }
    var rect = range.getBoundingClientRect();
    var box = container.getBoundingClientRect();
    container.scrollTop += rect.top - box.top - 40;
    container.setAttribute("data-marked", start + "-" + end);
    var status = document.getElementById("source-status");
    if (status) {
      status.textContent = "Fundstelle auf Seite " + button.getAttribute("data-page") + " markiert: „" +
        range.toString().slice(0, 160) + "“";
    }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest(".source-button") : null;
    if (button) { mark(button); }
  });
})();
