/* Search page facets: a filter box for long value lists, and "more" that expands in place.
   Progressive: without this script the "more" link loads the page with the whole list. */
(function () {
  "use strict";

  function setUp(facet) {
    var list = facet.querySelector(".facet-values");
    var more = facet.querySelector(".facet-more");
    if (!list || !more) return;
    var items = Array.prototype.slice.call(list.querySelectorAll(".facet-value"));
    var collapsed = items.map(function (item) { return item.hidden; });

    var box = document.createElement("input");
    box.type = "search";
    box.className = "facet-filter";
    box.placeholder = "Filter " + facet.querySelector("h2").textContent.toLowerCase();
    box.setAttribute("aria-label", box.placeholder);
    list.parentNode.insertBefore(box, list);

    box.addEventListener("input", function () {
      var text = box.value.trim().toLowerCase();
      items.forEach(function (item, i) {
        var name = item.querySelector(".facet-name").textContent.toLowerCase();
        item.hidden = text ? name.indexOf(text) === -1 : collapsed[i];
      });
      if (more.isConnected) more.hidden = Boolean(text);
    });

    more.addEventListener("click", function (event) {
      event.preventDefault();
      collapsed = items.map(function () { return false; });
      items.forEach(function (item) { item.hidden = false; });
      more.remove();
      box.focus();
    });
  }

  document.querySelectorAll(".search-facets .facet[data-facet]").forEach(setUp);
})();
