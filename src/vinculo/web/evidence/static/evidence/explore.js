// The selectors of the evidence pages work without this script: each is a GET form whose answer is the
// page for the new selection. With it, a change of a choice fetches that page, puts its new section in
// place of the old one and keeps the focus on the same control, and the address shows the selection.
(function () {
  "use strict";
  var pending = null;
  var timer = null;

  function addressOf(form) {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, key) {
      if (value !== "") { params.append(key, value); }
    });
    var query = params.toString();
    return window.location.pathname + (query ? "?" + query : "");
  }

  function refresh(form, focusedId) {
    var section = form.closest("section[id]");
    if (!section) { form.submit(); return; }
    var address = addressOf(form);
    if (pending) { pending.abort(); }
    pending = new AbortController();
    section.setAttribute("aria-busy", "true");
    fetch(address, { signal: pending.signal, credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById(section.id);
        if (!fresh) { window.location.assign(address); return; }
        var imported = document.importNode(fresh, true);
        section.replaceWith(imported);
        window.history.replaceState(null, "", address + "#" + section.id);
        enhance(imported);
        var again = focusedId && document.getElementById(focusedId);
        if (again) { again.focus(); }
      })
      .catch(function (error) {
        if (error.name !== "AbortError") { window.location.assign(address); }
      });
  }

  function enhance(root) {
    root.querySelectorAll("form[data-auto-submit]").forEach(function (form) {
      form.addEventListener("change", function (event) {
        var id = event.target && event.target.id;
        window.clearTimeout(timer);
        // A short pause, so that moving through a list with the arrow keys asks for one page, not ten.
        timer = window.setTimeout(function () { refresh(form, id); }, 350);
      });
    });
  }

  enhance(document);
})();
