// annals serve: reloads this page after each rebuild, and shows what is wrong when a
// rebuild fails (the page stays the last good one). Injected by `annals serve` only;
// `annals build` output never contains it.
(function () {
  "use strict";
  var me = document.currentScript;
  var site = me ? me.getAttribute("data-annals-site") : null;
  var box = null;

  function el(tag, css, text) {
    var e = document.createElement(tag);
    if (css) e.style.cssText = css;
    if (text != null) e.textContent = text;
    return e;
  }

  function hide() {
    if (box) {
      box.remove();
      box = null;
    }
  }

  // Each problem is shown as `annals check` prints it (`rendered`, made by the server, with
  // its source line and caret); the page draws nothing of its own.
  function show(state) {
    hide();
    var problems = state.problems || [];
    box = el("div",
      "position:fixed;top:0;left:0;right:0;max-height:75vh;overflow:auto;z-index:2147483647;" +
      "margin:0;padding:1em 1.25em;background:#fff4f4;color:#2b0000;border-bottom:4px solid #b00020;" +
      "font:14px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;" +
      "box-shadow:0 4px 16px rgba(0,0,0,.35);text-align:left");
    box.id = "annals-problems";
    box.setAttribute("role", "alert");
    var close = el("button", "float:right;font:inherit;cursor:pointer", "×");
    close.setAttribute("aria-label", "Hide until the next build");
    close.onclick = hide;
    box.appendChild(close);
    box.appendChild(el("div", "font-weight:bold;margin-bottom:.5em",
      "The site did not build (" + (state.summary || "see the terminal") +
      "). This is the last version that built; save a fix and it reloads."));
    problems.forEach(function (p) {
      var color = p.severity === "error" ? "#b00020" : "#8a5a00";
      var item = el("pre", "margin:.9em 0 0;white-space:pre;overflow:auto;font:inherit;" +
        "border-left:3px solid " + color + ";padding-left:.75em", p.rendered);
      item.className = "annals-problem";
      box.appendChild(item);
    });
    (document.body || document.documentElement).appendChild(box);
  }

  // This page's path in the site, as the server names files ("entries/x/index.html").
  function myPath() {
    var p = decodeURIComponent(location.pathname).replace(/^\/+/, "");
    return p === "" || /\/$/.test(p) ? p + "index.html" : p;
  }

  function apply(state) {
    if (site !== null && state.site !== site) {
      // A newer site: reload, unless it replaces exactly the one this page came from and
      // this page is not among what changed.
      if (state.previous === site && state.changed && state.changed.indexOf(myPath()) < 0) {
        site = state.site;
      } else {
        location.reload();
        return;
      }
    }
    if (state.ok) hide();
    else show(state);
  }

  if (!window.EventSource) {
    return;
  }
  var events = new EventSource("/__annals/events");
  events.addEventListener("state", function (e) {
    try {
      apply(JSON.parse(e.data));
    } catch (err) {
      console.error("annals serve:", err);
    }
  });
})();
