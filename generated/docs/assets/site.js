// Small enhancements of the docs site: copy buttons on code samples, copy-link buttons on fields,
// and opening the nested field table that holds a link's target. The pages read fully without it:
// the buttons are `hidden` in the HTML and shown only here, and nested tables open by hand.
(function () {
  "use strict";
  var status = document.createElement("span");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  document.body.appendChild(status);

  function announce(button, message) {
    status.textContent = message;
    button.classList.add("is-copied");
    var label = button.getAttribute("data-label");
    if (label !== null) button.textContent = "Copied";
    window.setTimeout(function () {
      button.classList.remove("is-copied");
      if (label !== null) button.textContent = label;
      status.textContent = "";
    }, 1500);
  }

  // execCommand is the way to copy where the asynchronous clipboard is missing or refused (pages
  // opened from disk in some browsers).
  function fallback(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(area);
    return ok;
  }

  function copy(text, button, message) {
    var done = function () { announce(button, message); };
    var fail = function () { if (fallback(text)) done(); };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(done, fail);
    } else {
      fail();
    }
  }

  Array.prototype.forEach.call(document.querySelectorAll("button[data-copy]"), function (button) {
    button.setAttribute("data-label", button.textContent);
    button.hidden = false;
    button.addEventListener("click", function () {
      var code = document.getElementById(button.getAttribute("data-copy"));
      if (code) copy(code.textContent, button, "Copied to the clipboard");
    });
  });

  Array.prototype.forEach.call(document.querySelectorAll("button[data-copy-link]"), function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var url = window.location.href.split("#")[0] + "#" + button.getAttribute("data-copy-link");
      copy(url, button, "Link copied");
    });
  });

  // A link to a nested field points into a closed <details>: open it, and every one around it.
  function reveal() {
    var id;
    try { id = decodeURIComponent(window.location.hash.slice(1)); } catch (e) { return; }
    var target = id && document.getElementById(id);
    if (!target) return;
    var opened = false;
    for (var el = target.parentElement; el; el = el.parentElement) {
      if (el.tagName === "DETAILS" && !el.open) { el.open = true; opened = true; }
    }
    if (opened) target.scrollIntoView();
  }
  window.addEventListener("hashchange", reveal);
  reveal();
})();
