// Search for the docs site: filters the prebuilt index (assets/search-index.js, which sets
// window.DECK_SEARCH_INDEX) as the reader types. Progressive enhancement: the search form is
// `hidden` in the HTML and shown only here, so without scripts the pages simply list everything.
// Results are built with textContent, never innerHTML, so spec text cannot inject markup.
//
// Ranking, best first (ties: events, resources, types, guides, fields, values, then page order):
//   1. an event named exactly the query, then events whose name starts with it;
//   2. an ID or ID prefix (`trun_7Gk2…`, `trun`): its ID type and the resource it identifies;
//   3. events with a part of their name starting with the query (`interaction` finds
//      `task_run.interaction_required`);
//   4. other titles equal to the query, starting with it (or a dotted part of them), containing it;
//   5. entries whose words all start with the query's words (with plural and -ing/-ed endings
//      folded: `retry` finds `retries`);
//   6. the same, allowing a small typo per word (`cancelled` finds `canceled`).
(function () {
  "use strict";
  var script = document.currentScript;
  var root = (script && script.getAttribute("data-root")) || "";
  var index = window.DECK_SEARCH_INDEX;
  var form = document.getElementById("search");
  if (!form || !index || !index.length) return;
  var input = document.getElementById("search-input");
  var list = document.getElementById("search-results");
  var KINDS = { event: 0, resource: 1, type: 2, guide: 3, field: 4, value: 5 };
  var LIMIT = 40;

  function words(text) {
    return text.toLowerCase().split(/[^a-z0-9]+/).filter(function (w) { return w.length > 0; });
  }

  // Folds common English endings so that a word and its plural or participle meet.
  function stem(w) {
    if (w.length > 4 && /(ies|ied)$/.test(w)) return w.slice(0, -3) + "y";
    if (w.length > 5 && /ing$/.test(w)) return w.slice(0, -3);
    if (w.length > 4 && /ed$/.test(w)) return w.slice(0, -2);
    if (w.length > 4 && /es$/.test(w)) return w.slice(0, -2);
    if (w.length > 3 && /s$/.test(w) && !/ss$/.test(w)) return w.slice(0, -1);
    return w;
  }

  // Optimal string alignment distance, stopping early once it exceeds `max`.
  function distance(a, b, max) {
    if (Math.abs(a.length - b.length) > max) return max + 1;
    var prev2 = null, prev = [], cur, i, j;
    for (j = 0; j <= b.length; j++) prev[j] = j;
    for (i = 1; i <= a.length; i++) {
      cur = [i];
      var best = i;
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var d = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
        if (prev2 && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
          d = Math.min(d, prev2[j - 2] + 1);
        }
        cur[j] = d;
        if (d < best) best = d;
      }
      if (best > max) return max + 1;
      prev2 = prev;
      prev = cur;
    }
    return prev[b.length];
  }

  function allowedTypos(term) {
    return term.length >= 8 ? 2 : term.length >= 4 ? 1 : 0;
  }

  // Every entry, and a vocabulary from each word to the entries that contain it.
  var vocab = Object.create(null);
  var entries = index.map(function (e, i) {
    var entry = {
      kind: e[0], title: e[1], summary: e[2], path: e[3], order: i, prefix: e[5] || "",
      titleLc: e[1].toLowerCase()
    };
    entry.parts = entry.titleLc.split(".");
    words(e[1] + " " + (e[4] || e[2])).forEach(function (w) {
      var list = vocab[w] || (vocab[w] = []);
      if (list[list.length - 1] !== i) list.push(i);
    });
    return entry;
  });
  var vocabWords = Object.keys(vocab);
  // Stemmed once, not on every keystroke.
  var vocabStems = vocabWords.map(stem);

  // For one query word: the entries with a word that starts with it or shares its stem, and
  // those with a word within a small typo of it.
  function termMatches(term) {
    var prefix = Object.create(null), typo = Object.create(null);
    var termStem = stem(term), max = allowedTypos(term);
    vocabWords.forEach(function (w, k) {
      var hit = w.indexOf(term) === 0 || vocabStems[k] === termStem;
      var near = !hit && max > 0 && distance(term, w, max) <= max;
      if (!hit && !near) return;
      vocab[w].forEach(function (i) {
        if (hit) prefix[i] = true;
        typo[i] = true;
      });
    });
    return { prefix: prefix, typo: typo };
  }

  // IDs are one word of letters, digits and underscores: `task_run.completed` is not one.
  function idMatch(entry, query) {
    if (!entry.prefix || !/^[a-z0-9_]+$/.test(query)) return false;
    if (query.indexOf(entry.prefix) === 0) return true;
    // A prefix typed without its underscore, or part of it: at least three characters.
    return query.length >= 3 && entry.prefix.indexOf(query) === 0;
  }

  function partStarts(entry, query) {
    return entry.parts.some(function (p) { return p.indexOf(query) === 0; });
  }

  // The tier of an entry for a query (lower is better), or -1 when it does not match.
  function tier(entry, query, matches) {
    var t = entry.titleLc;
    var isEvent = entry.kind === "event";
    if (isEvent && t === query) return 0;
    if (isEvent && t.indexOf(query) === 0) return 1;
    if (idMatch(entry, query)) return 2;
    if (isEvent && partStarts(entry, query)) return 3;
    if (t === query) return 4;
    if (t.indexOf(query) === 0 || partStarts(entry, query)) return 5;
    if (t.indexOf(query) >= 0) return 6;
    var i = entry.order;
    if (matches.length && matches.every(function (m) { return m.prefix[i]; })) return 7;
    if (matches.length && matches.every(function (m) { return m.typo[i]; })) return 8;
    return -1;
  }

  function render(shown) {
    list.textContent = "";
    shown.forEach(function (m, i) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = root + m.path;
      a.className = "result";
      if (i === 0) a.setAttribute("data-first", "");
      var kind = document.createElement("span");
      kind.className = "result-kind result-" + m.kind;
      kind.textContent = m.kind;
      var title = document.createElement("code");
      title.className = "result-title";
      title.textContent = m.title;
      var summary = document.createElement("span");
      summary.className = "result-summary";
      summary.textContent = m.summary;
      a.appendChild(kind);
      a.appendChild(title);
      a.appendChild(summary);
      li.appendChild(a);
      list.appendChild(li);
    });
  }

  function search(raw) {
    var query = raw.trim().toLowerCase();
    var matches = words(query).map(termMatches);
    var found = [];
    entries.forEach(function (e) {
      var t = tier(e, query, matches);
      if (t >= 0) found.push({ s: t * 10 + (KINDS[e.kind] || 0), e: e });
    });
    found.sort(function (a, b) { return a.s - b.s || a.e.order - b.e.order; });
    return found.slice(0, LIMIT).map(function (m) { return m.e; });
  }

  function update() {
    var raw = input.value.trim();
    if (!raw) {
      list.hidden = true;
      list.textContent = "";
      return;
    }
    var shown = search(raw);
    if (!shown.length) {
      list.textContent = "";
      var li = document.createElement("li");
      li.className = "no-results";
      li.textContent = "No matches for \u201c" + raw + "\u201d";
      list.appendChild(li);
    } else {
      render(shown);
    }
    list.hidden = false;
  }

  function links() {
    return Array.prototype.slice.call(list.querySelectorAll("a"));
  }

  function move(delta) {
    var all = links();
    if (!all.length) return;
    var i = all.indexOf(document.activeElement);
    var next = i + delta;
    if (next < 0) { input.focus(); return; }
    all[Math.min(next, all.length - 1)].focus();
  }

  form.hidden = false;
  input.addEventListener("input", update);
  input.addEventListener("focus", function () { if (input.value.trim()) update(); });
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var first = list.querySelector("a");
    if (first) window.location.href = first.href;
  });
  form.addEventListener("keydown", function (ev) {
    if (ev.key === "ArrowDown") { ev.preventDefault(); move(1); }
    else if (ev.key === "ArrowUp") { ev.preventDefault(); move(-1); }
    else if (ev.key === "Escape") { input.value = ""; update(); input.focus(); }
  });
  document.addEventListener("keydown", function (ev) {
    var t = ev.target;
    var typing = t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.isContentEditable);
    if (ev.key === "/" && !typing) { ev.preventDefault(); input.focus(); }
  });
  document.addEventListener("click", function (ev) {
    if (!form.contains(ev.target)) list.hidden = true;
  });
})();
