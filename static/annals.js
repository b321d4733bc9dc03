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
      status.textContent = active ? say("js-filter-shown", shown + " of " + cards.length + " entries shown", { shown: shown, n: cards.length }) : "";
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
  // The engine (ranking, facets, snippets) is independent of the page: tests/search/run.mjs
  // drives it in node on a built site. The page part below only reads the form and draws.
  var STOP = ["a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "in", "is", "it", "its",
    "of", "on", "or", "that", "the", "this", "to", "was", "were", "which", "with", "и", "в", "на", "с", "по", "не",
    "что", "для"];

  // Lowercase, ё to е, Kazakh letters to the Cyrillic letters typed for them (ә→а, ғ→г, қ→к,
  // ң→н, ө→о, ұ→у, ү→у, һ→х, і→и), Latin letters without accents (NFD, marks U+0300–U+036F
  // dropped). The same function as `fold` in src/render/search.rs (a test runs both).
  var FOLD = { "ё": "е", "ә": "а", "ғ": "г", "қ": "к", "ң": "н", "ө": "о", "ұ": "у", "ү": "у", "һ": "х", "і": "и" };
  function fold(w) {
    return Array.from(w.toLowerCase(), function (c) {
      if (Object.prototype.hasOwnProperty.call(FOLD, c)) return FOLD[c];
      var n = c.codePointAt(0);
      if ((n >= 0xc0 && n <= 0x24f) || (n >= 0x1e00 && n <= 0x1eff)) return c.normalize("NFD").replace(/[\u0300-\u036f]/g, "");
      return c;
    }).join("");
  }

  function terms(text) {
    return text
      .split(/[^\p{Alphabetic}\p{N}]+/u)
      .filter(function (w) { return w.length > 0; })
      .map(fold)
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

  // Whether the folded index term `t` is matched by the query word `w`: the same word, or
  // a word it starts (for three letters or more).
  function matches(t, w) {
    return t === w || (Array.from(w).length >= 3 && t.indexOf(w) === 0);
  }

  // Fixed-width base-32 facet fields of search/meta.json.
  function num(field, id) { return field.w === 0 ? 0 : parseInt(field.s.substr(id * field.w, field.w), 32); }
  function hasTheme(field, id, k) {
    return ((parseInt(field.s.charAt(id * field.w + Math.floor(k / 5)), 32) >> (k % 5)) & 1) === 1;
  }

  var FACETS = ["theme", "status", "thread"];

  // `load(path)` gives a promise of the JSON file search/<path>.
  function Engine(load) {
    this.load = load;
  }

  // The documents holding a term that `word` matches: {id: weight} (the best weight of the
  // terms it matches) and how many there are.
  Engine.prototype.postings = function (word) {
    var self = this;
    return self.load("index.json").then(function (index) {
      var shard = fnv1a(Array.from(word).slice(0, index.key).join("")) & (index.shards - 1);
      return self.load("t/" + shard + ".json").then(function (terms) {
        var docs = {};
        var df = 0;
        Object.keys(terms || {}).forEach(function (t) {
          if (!matches(t, word)) return;
          var id = 0;
          terms[t].forEach(function (v) {
            var w = v % index.pack;
            id += (v - w) / index.pack;
            if (!(id in docs)) df++;
            if (!(docs[id] >= w)) docs[id] = w;
          });
        });
        return { docs: docs, df: df, total: index.total };
      });
    });
  };

  // A query: `q` (text), `f` ({theme, status, thread: ids or "", from, to: years or NaN})
  // and `sort` ("relevance", "newest", "oldest"). Resolves to {words, ids (in order),
  // scores, counts: {theme|status|thread: {index: n}}, meta}. Documents hold every word;
  // a document's score is the sum over the words of weight × ln(1 + N / df), so a word
  // in a title counts most and a rare word more than a common one; ties go to the newer.
  // Facet counts are over the documents that match the words and the other facets.
  Engine.prototype.query = function (q, f, sort) {
    var self = this;
    var words = terms(q);
    if (words.length === 0) return Promise.resolve({ words: words, ids: [], scores: {}, counts: null, meta: null });
    return Promise.all([Promise.all(words.map(function (w) { return self.postings(w); })), self.load("meta.json")])
      .then(function (loaded) {
        var lists = loaded[0];
        var meta = loaded[1];
        var scores = {};
        Object.keys(lists[0].docs).forEach(function (key) {
          var score = 0;
          for (var k = 0; k < lists.length; k++) {
            var w = lists[k].docs[key];
            if (w === undefined) return;
            score += w * Math.log(1 + lists[k].total / lists[k].df);
          }
          scores[key] = score;
        });
        var index = {
          theme: meta.themes.map(function (t) { return t.id; }).indexOf(f.theme),
          status: meta.statuses.map(function (s) { return s.id; }).indexOf(f.status),
          thread: meta.threads.map(function (t) { return t.id; }).indexOf(f.thread) + 1
        };
        function passes(id, facet) {
          if (facet !== "theme" && f.theme && !hasTheme(meta.theme, id, index.theme)) return false;
          if (facet !== "status" && f.status && num(meta.status, id) !== index.status) return false;
          if (facet !== "thread" && f.thread && num(meta.thread, id) !== index.thread) return false;
          var year = meta.year0 + num(meta.year, id);
          if (!isNaN(f.from) && year < f.from) return false;
          if (!isNaN(f.to) && year > f.to) return false;
          return true;
        }
        var counts = { theme: {}, status: {}, thread: {} };
        var ids = [];
        Object.keys(scores).forEach(function (key) {
          var id = Number(key);
          if (passes(id, null)) ids.push(id);
          if (passes(id, "theme")) {
            for (var k = 0; k < meta.themes.length; k++) {
              if (hasTheme(meta.theme, id, k)) counts.theme[k] = (counts.theme[k] || 0) + 1;
            }
          }
          if (passes(id, "status")) {
            var s = num(meta.status, id);
            counts.status[s] = (counts.status[s] || 0) + 1;
          }
          if (passes(id, "thread")) {
            var t = num(meta.thread, id);
            if (t > 0) counts.thread[t - 1] = (counts.thread[t - 1] || 0) + 1;
          }
        });
        ids.sort(function (a, b) {
          if (sort === "oldest") return a - b;
          if (sort === "newest") return b - a;
          return scores[b] - scores[a] || b - a;
        });
        return { words: words, ids: ids, scores: scores, counts: counts, meta: meta };
      });
  };

  // The result data of `ids`: for each, [url, title, when, themes, summary, status, text].
  Engine.prototype.docs = function (ids) {
    var self = this;
    return self.load("index.json").then(function (index) {
      var chunks = {};
      ids.forEach(function (id) { chunks[Math.floor(id / index.chunk)] = true; });
      return Promise.all(Object.keys(chunks).map(function (c) {
        return self.load("d/" + c + ".json").then(function (docs) { return [c, docs]; });
      })).then(function (loaded) {
        var byChunk = {};
        loaded.forEach(function (p) { byChunk[p[0]] = p[1]; });
        return ids.map(function (id) { return byChunk[Math.floor(id / index.chunk)][id % index.chunk]; });
      });
    });
  };

  // `text` as [{t: text, m: whether it is a matching word}], cut to about `max`
  // characters around the first match when `max` is given. Plain strings only: the page
  // turns them into text nodes and <mark> elements, never into HTML.
  function highlight(text, words, max) {
    var parts = text.split(/([\p{Alphabetic}\p{N}]+)/u);
    var segs = [];
    var first = -1;
    var at = 0;
    parts.forEach(function (p, i) {
      var word = i % 2 === 1;
      var hit = word && words.some(function (w) { return matches(fold(p), w); });
      if (hit && first < 0) first = at;
      segs.push({ t: p, m: hit, w: word, at: at });
      at += p.length;
    });
    if (max && text.length > max) {
      // A window of `max` characters starting a third of it before the first match,
      // beginning and ending on a whole word.
      var start = Math.max(0, Math.min(first - Math.floor(max / 3), text.length - max));
      var end = start + max;
      var cut = segs.filter(function (s) { return s.t !== "" && s.at >= start && s.at + s.t.length <= end; });
      while (cut.length && !cut[0].w) cut.shift();
      while (cut.length && !cut[cut.length - 1].w) cut.pop();
      if (cut.length && cut[0].at > 0) cut.unshift({ t: "… ", m: false });
      var last = cut[cut.length - 1];
      if (last && last.at + last.t.length < text.length) cut.push({ t: " …", m: false });
      segs = cut;
    }
    // Neighbours that are both marked or both not become one segment.
    var out = [];
    segs.forEach(function (s) {
      if (s.t === "") return;
      var prev = out[out.length - 1];
      if (prev && prev.m === s.m) prev.t += s.t;
      else out.push({ t: s.t, m: s.m });
    });
    return out;
  }

  // The snippet of a result: the summary if a word matches in it, else the start of the
  // text if one matches there, else the summary as it is.
  function snippet(doc, words) {
    var hits = function (segs) { return segs.some(function (s) { return s.m; }); };
    var summary = highlight(doc[4], words);
    if (hits(summary)) return summary;
    var text = highlight(doc[6] || "", words, 200);
    return hits(text) ? text : summary;
  }

  // The page's words for what this script writes: a JSON of messages the build renders
  // from the language's message files on pages not in English (a count is an object of
  // plural forms, picked by Intl.PluralRules). The English text here is the fallback.
  var messages = null;
  function say(id, english, args) {
    if (messages === null) {
      var el = document.getElementById("_annals-messages");
      try { messages = el ? JSON.parse(el.textContent) : {}; } catch (e) { messages = {}; }
    }
    var m = messages[id];
    if (m && typeof m === "object") {
      var lang = document.documentElement.lang || "en";
      var cat = typeof Intl === "object" && Intl.PluralRules ? new Intl.PluralRules(lang).select(args.n) : "other";
      m = m[cat] || m.other || m[Object.keys(m)[0]];
    }
    if (typeof m !== "string") return english;
    return m.replace(/\{(\w+)\}/g, function (_, k) { return args && k in args ? String(args[k]) : ""; });
  }

  function setupSearch() {
    var form = document.getElementById("_search");
    if (!form) return;
    // The site root, as an absolute URL: data-base is the page's relative way back to it,
    // so the index is found wherever the site is (any host, any sub-path).
    var base = new URL(form.getAttribute("data-base"), document.baseURI).href;
    var input = document.getElementById("_q");
    var statusEl = document.getElementById("_search-status");
    var list = document.getElementById("_results");
    var more = document.getElementById("_more");
    var threadBox = document.getElementById("_f-thread-box");
    var PAGE = 20;
    var current = [];
    var words = [];
    var shownCount = 0;
    var cache = {};
    var engine = new Engine(function (path) {
      if (!cache[path]) {
        cache[path] = fetch(base + "search/" + path).then(function (r) {
          if (!r.ok) throw new Error(r.status + " " + path);
          return r.json();
        });
      }
      return cache[path];
    });
    // What the facet menus hold before any query (restored when the query is cleared).
    var initial = {};
    FACETS.forEach(function (k) {
      initial[k] = Array.prototype.map.call(form.elements[k].options, function (o) { return [o.value, o.textContent]; });
    });
    function restore(k) {
      var select = form.elements[k];
      select.textContent = "";
      initial[k].forEach(function (o) { option(select, o[0], o[1]); });
      select.value = wanted[k] || "";
    }
    var wanted = {};

    function facets() {
      var f = {};
      FACETS.forEach(function (k) { f[k] = wanted[k] || ""; });
      f.from = parseInt(form.elements.from.value, 10);
      f.to = parseInt(form.elements.to.value, 10);
      return f;
    }

    function option(select, value, label) {
      var o = document.createElement("option");
      o.value = value;
      o.textContent = label;
      select.appendChild(o);
    }

    // Each facet menu lists the values that occur in the results, with their counts.
    function drawFacets(counts, meta) {
      var lists = { theme: meta.themes.map(function (t) { return [t.id, t.name]; }),
        status: meta.statuses.map(function (s) { return [s.id, s.name]; }),
        thread: meta.threads.map(function (t) { return [t.id, t.name]; }) };
      FACETS.forEach(function (k) {
        var select = form.elements[k];
        var first = select.options[0].textContent;
        select.textContent = "";
        option(select, "", first);
        lists[k].forEach(function (v, i) {
          var n = counts[k][i] || 0;
          if (n > 0 || v[0] === wanted[k]) option(select, v[0], v[1] + " (" + n + ")");
        });
        select.value = wanted[k] || "";
      });
      if (threadBox) threadBox.hidden = meta.threads.length === 0;
    }

    function draw(segs, parent) {
      segs.forEach(function (s) {
        if (s.m) {
          var m = document.createElement("mark");
          m.textContent = s.t;
          parent.appendChild(m);
        } else {
          parent.appendChild(document.createTextNode(s.t));
        }
      });
    }

    function render(from) {
      var page = current.slice(from, from + PAGE);
      return engine.docs(page).then(function (docs) {
        docs.forEach(function (d) {
          var li = document.createElement("li");
          li.className = "result";
          var h = document.createElement("h2");
          var a = document.createElement("a");
          a.href = base + d[0];
          draw(highlight(d[1], words), a);
          h.appendChild(a);
          var meta = document.createElement("p");
          meta.className = "meta";
          meta.textContent = d[2] + " · " + d[5] + (d[3] ? " · " + d[3] : "");
          var summary = document.createElement("p");
          summary.className = "snippet";
          draw(snippet(d, words), summary);
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
      var f = facets();
      var sort = form.elements.sort.value;
      list.textContent = "";
      more.hidden = true;
      if (updateUrl && window.history && history.replaceState) {
        var params = new URLSearchParams();
        if (q) params.set("q", q);
        FACETS.forEach(function (k) { if (f[k]) params.set(k, f[k]); });
        if (!isNaN(f.from)) params.set("from", f.from);
        if (!isNaN(f.to)) params.set("to", f.to);
        if (sort !== "relevance") params.set("sort", sort);
        var s = params.toString();
        history.replaceState(null, "", window.location.pathname + (s ? "?" + s : ""));
      }
      if (terms(q).length === 0) {
        statusEl.textContent = q ? say("js-type-more", "Type at least two letters.") : "";
        FACETS.forEach(restore);
        return Promise.resolve();
      }
      statusEl.textContent = say("js-searching", "Searching…");
      return engine.query(q, f, sort)
        .then(function (r) {
          current = r.ids;
          words = r.words;
          drawFacets(r.counts, r.meta);
          var order = say("js-order-" + sort, { relevance: "most relevant first", newest: "newest first", oldest: "oldest first" }[sort]);
          statusEl.textContent = current.length === 0
            ? say("js-no-match", "No entries match “" + q + "”.", { q: q })
            : say("js-matches", current.length + (current.length === 1 ? " entry matches" : " entries match") + " “" + q + "”, " + order + ".",
              { count: say("js-matches-count", "", { n: current.length }), q: q, order: order });
          return render(0);
        })
        .catch(function (e) {
          statusEl.textContent = say("js-index-error", "The search index could not be loaded (" + e.message + ").", { error: e.message });
        });
    }

    var params = new URLSearchParams(window.location.search);
    input.value = params.get("q") || "";
    FACETS.forEach(function (k) { wanted[k] = params.get(k) || ""; form.elements[k].value = wanted[k]; });
    ["from", "to"].forEach(function (k) { if (params.get(k)) form.elements[k].value = params.get(k); });
    if (["newest", "oldest"].indexOf(params.get("sort")) >= 0) form.elements.sort.value = params.get("sort");
    form.addEventListener("submit", function (ev) { ev.preventDefault(); run(true); });
    form.addEventListener("change", function (ev) {
      if (FACETS.indexOf(ev.target.name) >= 0) wanted[ev.target.name] = ev.target.value;
      run(true);
    });
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
  if (typeof module === "object" && module.exports) {
    // In node (tests/search/run.mjs): the search engine alone, no page.
    module.exports = { Engine: Engine, terms: terms, fold: fold, fnv1a: fnv1a, highlight: highlight, snippet: snippet };
    return;
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
