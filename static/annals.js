// annals: progressive enhancement only. Every page works without this script; it adds
// the overview's keyboard navigation, the timeline filters (kept in the URL, e.g.
// ?theme=torture) and the search page.
(function () {
  "use strict";

  // ---- Timeline filters -------------------------------------------------------------
  function setupFilters() {
    var form = document.getElementById("_filters");
    var timeline = document.getElementById("_timeline");
    var box = document.getElementById("_filters-box");
    if (!form || !timeline || !box) return;
    box.hidden = false;
    var groups = ["theme", "status", "instrument"];
    var status = form.querySelector(".filter-status");
    var cards = Array.prototype.slice.call(timeline.querySelectorAll(".entry-card"));

    function selected(name) {
      return Array.prototype.slice
        .call(form.querySelectorAll('input[name="' + name + '"]:checked'))
        .map(function (i) { return i.value; });
    }

    function apply(updateUrl) {
      var want = {};
      groups.forEach(function (g) { want[g] = selected(g); });
      var shown = 0;
      cards.forEach(function (card) {
        var themes = (card.getAttribute("data-themes") || "").split(" ");
        var ok =
          (want.theme.length === 0 || want.theme.some(function (t) { return themes.indexOf(t) >= 0; })) &&
          (want.status.length === 0 || want.status.indexOf(card.getAttribute("data-status")) >= 0) &&
          (want.instrument.length === 0 || want.instrument.indexOf(card.getAttribute("data-instrument")) >= 0);
        card.hidden = !ok;
        if (ok) shown++;
      });
      Array.prototype.forEach.call(timeline.querySelectorAll("section.year"), function (sec) {
        sec.hidden = !sec.querySelector(".entry-card:not([hidden])");
      });
      var active = groups.some(function (g) { return want[g].length > 0; });
      status.textContent = active ? shown + " of " + cards.length + " entries shown" : "";
      if (updateUrl && window.history && history.replaceState) {
        var params = new URLSearchParams(window.location.search);
        groups.forEach(function (g) {
          params.delete(g);
          want[g].forEach(function (v) { params.append(g, v); });
        });
        var q = params.toString();
        history.replaceState(null, "", window.location.pathname + (q ? "?" + q : "") + window.location.hash);
      }
    }

    var params = new URLSearchParams(window.location.search);
    groups.forEach(function (g) {
      params.getAll(g).forEach(function (v) {
        var box = form.querySelector('input[name="' + g + '"][value="' + CSS.escape(v) + '"]');
        if (box) box.checked = true;
      });
    });
    form.addEventListener("change", function () { apply(true); });
    form.addEventListener("reset", function () { setTimeout(function () { apply(true); }, 0); });
    // Without filters in the URL every card is already shown: nothing to do.
    if (groups.some(function (g) { return params.getAll(g).length > 0; })) {
      box.open = true;
      apply(false);
    }
  }

  // ---- Overview chart: one tab stop, arrow keys between marks ----------------------------
  // Without this script every mark is a link in the tab order; with it the chart is one
  // tab stop (roving tabindex): Left/Right move through a lane in time order, Up/Down to
  // the nearest mark of the lane above or below, Home/End to a lane's ends. Each mark's
  // <title> names it (title, date, status).
  function setupOverview() {
    Array.prototype.forEach.call(document.querySelectorAll(".overview"), function (fig) {
      var scroller = fig.querySelector(".overview-scroll");
      var svg = fig.querySelector("svg.timeline-svg");
      if (!scroller || !svg) return;
      function fit() {
        fig.classList.toggle("overview-fits", scroller.scrollWidth <= scroller.clientWidth + 1);
      }
      fit();
      window.addEventListener("resize", fit);
      var lanes = Array.prototype.slice.call(svg.querySelectorAll("g.lane")).map(function (g) {
        return Array.prototype.slice.call(g.querySelectorAll("a"));
      }).filter(function (l) { return l.length > 0; });
      if (lanes.length === 0) return;
      var all = [];
      lanes.forEach(function (l) { all = all.concat(l); });
      all.forEach(function (a) { a.setAttribute("tabindex", "-1"); });
      // The first stop is the latest mark of the first lane: the recent years are in view.
      // Chromium would otherwise stop on the <svg> itself (an overflow: hidden box).
      svg.setAttribute("tabindex", "-1");
      var firstLane = lanes[0];
      var current = firstLane.length > 1 ? firstLane[firstLane.length - 1] : firstLane[0];
      current.setAttribute("tabindex", "0");
      function centre(a) {
        var b = a.getBBox();
        return b.x + b.width / 2;
      }
      function move(to) {
        if (!to) return;
        current.setAttribute("tabindex", "-1");
        to.setAttribute("tabindex", "0");
        current = to;
        to.focus();
      }
      svg.addEventListener("focusin", function (ev) {
        var a = ev.target.closest ? ev.target.closest("a") : null;
        if (a && a !== current && all.indexOf(a) >= 0) {
          current.setAttribute("tabindex", "-1");
          a.setAttribute("tabindex", "0");
          current = a;
        }
      });
      svg.addEventListener("keydown", function (ev) {
        var li = -1, mi = -1;
        lanes.forEach(function (l, k) { var m = l.indexOf(current); if (m >= 0) { li = k; mi = m; } });
        if (li < 0) return;
        var lane = lanes[li], to = null;
        if (ev.key === "ArrowRight") to = lane[mi + 1];
        else if (ev.key === "ArrowLeft") to = lane[mi - 1];
        else if (ev.key === "Home") to = lane[0];
        else if (ev.key === "End") to = lane[lane.length - 1];
        else if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
          var other = lanes[li + (ev.key === "ArrowDown" ? 1 : -1)];
          if (other) {
            var x = centre(current), best = null, dist = Infinity;
            other.forEach(function (a) {
              // The lane's name is its first link; it is reached with Home.
              if (a === other[0] && other.length > 1) return;
              var d = Math.abs(centre(a) - x);
              if (d < dist) { dist = d; best = a; }
            });
            to = best;
          }
        } else return;
        ev.preventDefault();
        move(to);
      });
    });
  }

  // ---- Year navigator: one tab stop, arrow keys between years; marks the year in view -----
  function setupYearNav() {
    var nav = document.querySelector(".year-nav");
    if (!nav) return;
    var links = Array.prototype.slice.call(nav.querySelectorAll("a"));
    if (links.length === 0) return;
    var current = links[0];
    links.forEach(function (a) { a.setAttribute("tabindex", a === current ? "0" : "-1"); });
    function move(to) {
      current.setAttribute("tabindex", "-1");
      to.setAttribute("tabindex", "0");
      current = to;
      to.focus();
    }
    nav.addEventListener("keydown", function (ev) {
      var i = links.indexOf(document.activeElement);
      if (i < 0) return;
      var step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[ev.key];
      var to = null;
      if (step) to = links[Math.max(0, Math.min(links.length - 1, i + step))];
      else if (ev.key === "Home") to = links[0];
      else if (ev.key === "End") to = links[links.length - 1];
      if (!to) return;
      ev.preventDefault();
      move(to);
    });
    nav.addEventListener("focusin", function (ev) {
      if (links.indexOf(ev.target) >= 0 && ev.target !== current) {
        current.setAttribute("tabindex", "-1");
        ev.target.setAttribute("tabindex", "0");
        current = ev.target;
      }
    });
    // The year whose heading was passed last is the one being read.
    if (!("IntersectionObserver" in window)) return;
    var byId = {};
    links.forEach(function (a) {
      var h = a.getAttribute("href");
      if (h.charAt(0) === "#") byId[h.slice(1)] = a;
    });
    var sections = Array.prototype.slice.call(document.querySelectorAll("section.year"));
    var visible = {};
    var io = new IntersectionObserver(function (changes) {
      changes.forEach(function (c) { visible[c.target.getAttribute("aria-labelledby")] = c.isIntersecting; });
      var first = null;
      sections.forEach(function (s) {
        var id = s.getAttribute("aria-labelledby");
        if (!first && visible[id]) first = id;
      });
      links.forEach(function (a) { a.removeAttribute("aria-current"); });
      if (first && byId[first]) byId[first].setAttribute("aria-current", "true");
    });
    sections.forEach(function (s) { io.observe(s); });
  }

  // ---- Search -------------------------------------------------------------------------
  var STOP = ["a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "in", "is", "it", "its",
    "of", "on", "or", "that", "the", "this", "to", "was", "were", "which", "with", "и", "в", "на", "с", "по", "не",
    "что", "для"];

  function terms(text) {
    return text
      .split(/[^\p{Alphabetic}\p{N}]+/u)
      .filter(function (w) { return w.length > 0; })
      .map(function (w) { return w.toLowerCase().replace(/ё/g, "е"); })
      .filter(function (w) { return Array.from(w).length >= 2 && STOP.indexOf(w) < 0; });
  }

  // FNV-1a (32 bits) over UTF-8, as src/render/search.rs computes it.
  function fnv1a(s) {
    var bytes = new TextEncoder().encode(s);
    var h = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) {
      h ^= bytes[i];
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h >>> 0;
  }

  function setupSearch() {
    var form = document.getElementById("_search");
    if (!form) return;
    var base = form.getAttribute("data-base");
    var input = document.getElementById("_q");
    var statusEl = document.getElementById("_search-status");
    var list = document.getElementById("_results");
    var more = document.getElementById("_more");
    var cache = {};
    var PAGE = 20;
    var CHUNK = 16;
    var current = [];
    var shownCount = 0;

    function load(path) {
      if (!cache[path]) {
        cache[path] = fetch(base + "search/" + path).then(function (r) {
          if (!r.ok) throw new Error(r.status + " " + path);
          return r.json();
        });
      }
      return cache[path];
    }

    // Doc ids whose terms start with `term` (prefix match for three letters or more).
    function lookup(term) {
      var chars = Array.from(term);
      return load("index.json").then(function (index) {
        var shard = fnv1a(chars.slice(0, index.key).join("")) & (index.shards - 1);
        return load("t/" + shard + ".json");
      }).then(function (shard) {
        var ids = {};
        if (!shard) return ids;
        Object.keys(shard).forEach(function (t) {
          if (t === term || (chars.length >= 3 && t.indexOf(term) === 0)) {
            var id = 0;
            shard[t].forEach(function (d) { id += d; ids[id] = true; });
          }
        });
        return ids;
      });
    }

    function facets() {
      return {
        theme: form.elements.theme.value,
        status: form.elements.status.value,
        from: parseInt(form.elements.from.value, 10),
        to: parseInt(form.elements.to.value, 10)
      };
    }

    function filter(ids, f) {
      var active = f.theme || f.status || !isNaN(f.from) || !isNaN(f.to);
      if (!active) return Promise.resolve(ids);
      return load("meta.json").then(function (meta) {
        var ti = meta.themes.map(function (t) { return t.id; }).indexOf(f.theme);
        var si = meta.statuses.map(function (s) { return s.id; }).indexOf(f.status);
        return ids.filter(function (id) {
          if (f.theme && meta.theme[id].indexOf(ti) < 0) return false;
          if (f.status && meta.status[id] !== si) return false;
          if (!isNaN(f.from) && meta.year[id] < f.from) return false;
          if (!isNaN(f.to) && meta.year[id] > f.to) return false;
          return true;
        });
      });
    }

    function render(from) {
      var page = current.slice(from, from + PAGE);
      var chunks = {};
      page.forEach(function (id) { chunks[Math.floor(id / CHUNK)] = true; });
      return Promise.all(Object.keys(chunks).map(function (c) {
        return load("d/" + c + ".json").then(function (docs) { return [c, docs]; });
      })).then(function (loaded) {
        var byChunk = {};
        loaded.forEach(function (p) { byChunk[p[0]] = p[1]; });
        page.forEach(function (id) {
          var d = byChunk[Math.floor(id / CHUNK)][id % CHUNK];
          var li = document.createElement("li");
          li.className = "result";
          var h = document.createElement("h2");
          var a = document.createElement("a");
          a.href = d[0];
          a.textContent = d[1];
          h.appendChild(a);
          var meta = document.createElement("p");
          meta.className = "meta";
          meta.textContent = d[2] + " · " + d[5] + (d[3] ? " · " + d[3] : "");
          var summary = document.createElement("p");
          summary.textContent = d[4];
          li.appendChild(h);
          li.appendChild(meta);
          li.appendChild(summary);
          list.appendChild(li);
        });
        shownCount = from + page.length;
        more.hidden = shownCount >= current.length;
      });
    }

    function run(updateUrl) {
      var q = input.value.trim();
      var words = terms(q);
      var f = facets();
      list.innerHTML = "";
      more.hidden = true;
      if (updateUrl && window.history && history.replaceState) {
        var params = new URLSearchParams();
        if (q) params.set("q", q);
        ["theme", "status"].forEach(function (k) { if (f[k]) params.set(k, f[k]); });
        if (!isNaN(f.from)) params.set("from", f.from);
        if (!isNaN(f.to)) params.set("to", f.to);
        var s = params.toString();
        history.replaceState(null, "", window.location.pathname + (s ? "?" + s : ""));
      }
      if (words.length === 0) {
        statusEl.textContent = q ? "Type at least two letters." : "";
        return Promise.resolve();
      }
      statusEl.textContent = "Searching…";
      return Promise.all(words.map(lookup))
        .then(function (sets) {
          var ids = Object.keys(sets[0]).map(Number).filter(function (id) {
            return sets.every(function (s) { return s[id]; });
          });
          ids.sort(function (a, b) { return b - a; });
          return filter(ids, f);
        })
        .then(function (ids) {
          current = ids;
          statusEl.textContent = ids.length === 0
            ? "No entries match “" + q + "”."
            : ids.length + (ids.length === 1 ? " entry matches" : " entries match") + " “" + q + "”, newest first.";
          return render(0);
        })
        .catch(function (e) {
          statusEl.textContent = "The search index could not be loaded (" + e.message + ").";
        });
    }

    var params = new URLSearchParams(window.location.search);
    input.value = params.get("q") || "";
    ["theme", "status", "from", "to"].forEach(function (k) {
      if (params.get(k)) form.elements[k].value = params.get(k);
    });
    form.addEventListener("submit", function (ev) { ev.preventDefault(); run(true); });
    form.addEventListener("change", function () { run(true); });
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { run(true); }, 200);
    });
    more.addEventListener("click", function () { render(shownCount); });
    run(false);
  }

  function start() {
    setupOverview();
    setupYearNav();
    setupFilters();
    setupSearch();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
