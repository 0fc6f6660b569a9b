// Polls the status of a background job and reloads the page when it has finished.
(function () {
  var box = document.getElementById("job-progress");
  if (!box) { return; }
  var url = box.getAttribute("data-status-url");
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        var state = document.getElementById("job-state");
        var pct = document.getElementById("job-percent");
        if (state && s.text) { state.textContent = s.text; }
        var bar = document.getElementById("job-bar");
        if (pct) { pct.textContent = String(s.percent); }
        if (bar) { bar.value = s.percent; }
        if (s.status === "done" || s.status === "failed") { window.location.reload(); return; }
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 1000);
})();
