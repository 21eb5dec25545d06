/* Staff pages: refresh a part of the page now and then (the queue, a live conversation).
 * An element with data-refresh="URL" and data-every="ms" gets its inner HTML from URL
 * (server-rendered and escaped by the templates). A 410 or a redirect (logged out, or the
 * conversation was handed back) reloads the whole page instead. */
(function () {
  "use strict";

  function refresh(element) {
    var url = element.getAttribute("data-refresh");
    var every = parseInt(element.getAttribute("data-every") || "5000", 10);
    var bottom = element.getAttribute("data-scroll") === "bottom";

    async function tick() {
      if (!document.hidden) {
        try {
          var response = await fetch(url, { credentials: "same-origin" });
          if (response.status === 410 || response.redirected) {
            window.location.reload();
            return;
          }
          if (response.ok) {
            var html = await response.text();
            if (html !== element.dataset.last) {
              var atEnd = window.innerHeight + window.scrollY >= document.body.scrollHeight - 40;
              element.dataset.last = html;
              element.innerHTML = html;
              if (bottom && atEnd) {
                element.lastElementChild && element.lastElementChild.scrollIntoView({ block: "end" });
              }
            }
          }
        } catch (e) {
          /* offline for a moment: try again next time */
        }
      }
      window.setTimeout(tick, every);
    }
    window.setTimeout(tick, every);
  }

  var parts = document.querySelectorAll("[data-refresh]");
  for (var i = 0; i < parts.length; i++) {
    refresh(parts[i]);
  }
})();
