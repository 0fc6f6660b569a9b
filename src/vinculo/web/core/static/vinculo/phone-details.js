// Sections marked <details data-phone-closed open> (e.g. search facets) are open on a wide screen and start
// closed on a phone (600 px or narrower), where they would push the results far down. Without this script
// they stay open, which works everywhere.
(function () {
  if (!window.matchMedia("(max-width: 600px)").matches) { return; }
  var all = document.querySelectorAll("details[data-phone-closed]");
  for (var i = 0; i < all.length; i++) { all[i].open = false; }
})();
