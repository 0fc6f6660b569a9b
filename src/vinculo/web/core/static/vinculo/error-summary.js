// After a failed submit the form starts with an error summary (core/_form.html). This moves the focus to
// it, so that a screen reader reads it and the keyboard starts from it; its links then move the focus to
// the field itself (opening a closed <details> around it first) with the field's label in view.
(function () {
  var summary = document.querySelector("[data-error-summary]");
  if (!summary) { return; }
  summary.focus();
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    if (!link) { return; }
    var target = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!target) { return; }
    event.preventDefault();
    var details = target.closest("details");
    if (details && !details.open) { details.open = true; }
    var field = target.closest(".field") || target;
    field.scrollIntoView({ block: "start" });
    target.focus({ preventScroll: true });
  });
})();
