// A long list of checkboxes (the SearchableCheckboxes widget, .pick-list) gets a filter box, and a line
// saying how many items are chosen and shown, which screen readers announce (aria-live, after a pause in
// typing). Chosen items stay in view whatever the filter. Keys: Enter in the filter box does not submit
// the form; Down moves to the first shown item; Up and Down move between shown items; Up from the first
// returns to the filter box. Without this script the widget is a plain list of checkboxes.
(function () {
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }

  function enhance(box) {
    var list = box.querySelector("div[id]");
    if (!list) return;
    var boxes = Array.prototype.slice.call(list.querySelectorAll("input[type=checkbox]"));
    var texts = boxes.map(function (cb) { return fold(cb.parentNode.textContent); });
    var row = function (cb) { return cb.closest("div") === list ? cb.parentNode : cb.closest("div"); };

    var filterId = list.id + "_filter";
    var label = document.createElement("label");
    label.htmlFor = filterId;
    label.className = "pick-filter-label";
    label.textContent = box.getAttribute("data-filter-label");
    var input = document.createElement("input");
    input.type = "search";
    input.id = filterId;
    input.autocomplete = "off";
    input.className = "pick-filter";
    input.setAttribute("aria-controls", list.id);
    var status = document.createElement("p");
    status.className = "pick-status";
    status.id = list.id + "_status";
    status.setAttribute("aria-live", "polite");
    input.setAttribute("aria-describedby", status.id);
    var none = document.createElement("p");
    none.className = "pick-none";
    none.hidden = true;
    none.textContent = box.getAttribute("data-none-text");
    box.insertBefore(label, list);
    box.insertBefore(input, list);
    box.insertBefore(status, list);
    box.insertBefore(none, list);

    var timer = null;
    function shown() {
      return boxes.filter(function (cb) { return !row(cb).hidden; });
    }
    function say() {
      var chosen = boxes.filter(function (cb) { return cb.checked; }).length;
      var visible = shown().length;
      status.textContent = box.getAttribute("data-selected-text").replace("{n}", chosen) + " · " +
        box.getAttribute("data-shown-text").replace("{shown}", visible).replace("{total}", boxes.length);
      none.hidden = visible > 0;
    }
    function update(now) {
      var q = fold(input.value);
      boxes.forEach(function (cb, i) {
        row(cb).hidden = !(q === "" || cb.checked || texts[i].indexOf(q) !== -1);
      });
      window.clearTimeout(timer);
      if (now) say(); else timer = window.setTimeout(say, 500);
    }
    input.addEventListener("input", function () { update(false); });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
      } else if (event.key === "ArrowDown") {
        var first = shown()[0];
        if (first) { event.preventDefault(); first.focus(); }
      }
    });
    list.addEventListener("keydown", function (event) {
      if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
      var items = shown();
      var at = items.indexOf(event.target);
      if (at === -1) return;
      event.preventDefault();
      if (event.key === "ArrowDown" && at < items.length - 1) items[at + 1].focus();
      if (event.key === "ArrowUp") (at > 0 ? items[at - 1] : input).focus();
    });
    list.addEventListener("change", function () { say(); });
    box.classList.add("pick-list-ready");
    update(true);
  }

  var all = document.querySelectorAll("[data-pick-list]");
  for (var i = 0; i < all.length; i++) enhance(all[i]);
})();
