// 中英对照 (pwe_sphinx/i18n/bilingual.py): inline in <head>, so it runs before the page is drawn.
(function () {
  var key = "pwe-bilingual", root = document.documentElement;
  function chosen() {
    try { return localStorage.getItem(key) === "on"; } catch (error) { return false; }
  }
  function show(on) {
    root.classList.toggle(key, on);
    document.querySelectorAll(".pwe-bilingual-switch").forEach(function (button) {
      button.setAttribute("aria-pressed", on ? "true" : "false");
    });
  }
  show(chosen());
  document.addEventListener("DOMContentLoaded", function () {
    show(chosen());
    // The search page quotes each page found: from its translation only.
    if (typeof Search === "undefined" || !Search.htmlToText) return;
    var toText = Search.htmlToText;
    Search.htmlToText = function (html, anchor) {
      var page = new DOMParser().parseFromString(html, "text/html");
      page.querySelectorAll(".pwe-original").forEach(function (original) { original.remove(); });
      return toText(page.documentElement.outerHTML, anchor);
    };
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".pwe-bilingual-switch");
    if (!button) return;
    var on = !root.classList.contains(key);
    try { localStorage.setItem(key, on ? "on" : "off"); } catch (error) {}
    show(on);
  });
  window.addEventListener("storage", function (event) {
    if (event.key === key) show(event.newValue === "on");
  });
})();
