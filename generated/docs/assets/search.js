// Search for the docs site: filters the prebuilt index (assets/search-index.js, which sets
// window.DECK_SEARCH_INDEX) as the reader types. Progressive enhancement: the search form is
// `hidden` in the HTML and shown only here, so without scripts the pages simply list everything.
// Results are built with textContent, never innerHTML, so spec text cannot inject markup.
(function () {
  "use strict";
  var script = document.currentScript;
  var root = (script && script.getAttribute("data-root")) || "";
  var index = window.DECK_SEARCH_INDEX;
  var form = document.getElementById("search");
  if (!form || !index || !index.length) return;
  var input = document.getElementById("search-input");
  var list = document.getElementById("search-results");
  var KINDS = { event: 0, resource: 1, type: 2, field: 3, value: 4 };
  var LIMIT = 40;

  var entries = index.map(function (e, i) {
    return {
      kind: e[0], title: e[1], summary: e[2], path: e[3], order: i,
      titleLc: e[1].toLowerCase(), textLc: (e[1] + " " + e[2]).toLowerCase()
    };
  });

  function score(entry, terms, query) {
    for (var i = 0; i < terms.length; i++) {
      if (entry.textLc.indexOf(terms[i]) < 0) return -1;
    }
    var s = KINDS[entry.kind] || 0;
    if (entry.titleLc === query) return s;
    if (entry.titleLc.indexOf(query) === 0) return 10 + s;
    if (entry.titleLc.indexOf(query) >= 0) return 20 + s;
    return 40 + s;
  }

  function render(matches) {
    list.textContent = "";
    matches.forEach(function (m, i) {
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

  function update() {
    var query = input.value.trim().toLowerCase();
    if (!query) {
      list.hidden = true;
      list.textContent = "";
      return;
    }
    var terms = query.split(/\s+/);
    var matches = [];
    entries.forEach(function (e) {
      var s = score(e, terms, query);
      if (s >= 0) matches.push({ s: s, e: e });
    });
    matches.sort(function (a, b) { return a.s - b.s || a.e.order - b.e.order; });
    var shown = matches.slice(0, LIMIT).map(function (m) { return m.e; });
    if (!shown.length) {
      list.textContent = "";
      var li = document.createElement("li");
      li.className = "no-results";
      li.textContent = "No matches for \u201c" + input.value.trim() + "\u201d";
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
