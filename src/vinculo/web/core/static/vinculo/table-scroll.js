// A table wider than its box scrolls sideways inside it (.table-scroll). Keyboard users scroll such a box
// with the arrow keys once it has focus, so a box that scrolls and holds nothing focusable of its own (no
// link, no button) is made focusable, and named after the table's caption; the others are left alone.
(function () {
  function focusable(box) {
    return box.querySelector("a[href], button, input, select, textarea, [tabindex]") !== null;
  }
  function update() {
    var boxes = document.querySelectorAll(".table-scroll");
    for (var i = 0; i < boxes.length; i++) {
      var box = boxes[i];
      var needed = box.scrollWidth > box.clientWidth && !focusable(box);
      if (needed && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        var caption = box.querySelector("caption");
        if (caption) {
          box.setAttribute("role", "region");
          box.setAttribute("aria-label", caption.textContent.trim());
        }
        box.setAttribute("data-made-focusable", "");
      } else if (!needed && box.hasAttribute("data-made-focusable")) {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
        box.removeAttribute("data-made-focusable");
      }
    }
  }
  update();
  window.addEventListener("resize", update);
})();
