// Keyboard shortcuts (the pages work without them): j/k move between items marked
// data-nav, Enter or o opens the selected item's first link, / focuses the first filter,
// ? shows the help. Loaded as a file: the CSP allows no inline script.
(function () {
  "use strict";
  var current = -1;
  function items() { return Array.prototype.slice.call(document.querySelectorAll("[data-nav]")); }
  function select(i) {
    var list = items();
    if (!list.length) return;
    current = Math.max(0, Math.min(list.length - 1, i));
    list.forEach(function (el) { el.classList.remove("selected"); });
    var el = list[current];
    el.classList.add("selected");
    el.scrollIntoView({ block: "nearest" });
  }
  function typing(e) {
    var t = e.target;
    return t && (t.tagName === "INPUT" || t.tagName === "SELECT" || t.tagName === "TEXTAREA" || t.isContentEditable);
  }
  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey || typing(e)) return;
    var help = document.getElementById("help");
    switch (e.key) {
      case "j": select(current + 1); break;
      case "k": select(current - 1); break;
      case "Enter":
      case "o": {
        var el = items()[current];
        var link = el && (el.matches("a") ? el : el.querySelector("a[href]"));
        if (!link) return;
        window.location.href = link.href;
        break;
      }
      case "/": {
        var f = document.querySelector(".filters input, .filters select");
        if (!f) return;
        f.focus();
        break;
      }
      case "?": if (help) help.classList.toggle("open"); break;
      case "Escape": if (help) help.classList.remove("open"); break;
      default: return;
    }
    e.preventDefault();
  });
})();
