/* FHB-bot: put the web chat on a kommune's own site with one line:
 *
 *   <script src="https://<chat-host>/embed.js" defer></script>
 *
 * Adds a large "Chat med oss" button; it opens the chat in a panel (an iframe of the chat
 * page). The chat host must allow the site in FHB_WEB_FRAME_ANCESTORS. Styles are set
 * through the DOM, so the host page needs no stylesheet and no inline script.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || window.__fhbChatEmbedded) {
    return;
  }
  window.__fhbChatEmbedded = true;
  var chatUrl = new URL("/", script.src).href;

  /** Set several style properties at once. */
  function style(element, properties) {
    Object.keys(properties).forEach(function (name) {
      element.style[name] = properties[name];
    });
  }

  /** A big, high-contrast button. */
  function bigButton(label) {
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = label;
    style(button, {
      font: "700 1.25rem/1.2 system-ui, -apple-system, 'Segoe UI', Arial, sans-serif",
      minHeight: "3.25rem",
      padding: "0.75rem 1.5rem",
      color: "#ffffff",
      background: "#0a3a86",
      border: "0.2rem solid #ffffff",
      borderRadius: "0.5rem",
      boxShadow: "0 0 0 0.15rem #0a3a86",
      cursor: "pointer",
    });
    return button;
  }

  var open = bigButton("Chat med oss");
  open.setAttribute("aria-haspopup", "dialog");
  open.setAttribute("aria-expanded", "false");
  style(open, { position: "fixed", right: "1rem", bottom: "1rem", zIndex: "2147483000" });

  var panel = document.createElement("div");
  panel.setAttribute("role", "dialog");
  panel.setAttribute("aria-label", "Chat med kommunen");
  panel.hidden = true;
  style(panel, {
    position: "fixed",
    right: "1rem",
    bottom: "1rem",
    width: "min(32rem, calc(100vw - 2rem))",
    height: "min(46rem, calc(100vh - 2rem))",
    zIndex: "2147483001",
    display: "flex",
    flexDirection: "column",
    background: "#ffffff",
    border: "0.15rem solid #141414",
    borderRadius: "0.5rem",
    boxShadow: "0 0.5rem 2rem rgba(0, 0, 0, 0.35)",
    overflow: "hidden",
  });

  var close = bigButton("Lukk chatten");
  style(close, { alignSelf: "flex-end", margin: "0.5rem", fontSize: "1.1rem" });

  var frame = null;

  /** Open the panel; the chat page is loaded the first time. */
  function show() {
    if (!frame) {
      frame = document.createElement("iframe");
      frame.src = chatUrl;
      frame.title = "Chat med kommunen";
      style(frame, { flex: "1 1 auto", width: "100%", border: "0" });
      panel.appendChild(frame);
    }
    panel.hidden = false;
    panel.style.display = "flex";
    open.style.display = "none";
    open.setAttribute("aria-expanded", "true");
    frame.focus();
  }

  /** Close the panel (the conversation is kept) and give focus back to the button. */
  function hide() {
    panel.hidden = true;
    panel.style.display = "none";
    open.style.display = "";
    open.setAttribute("aria-expanded", "false");
    open.focus();
  }

  open.addEventListener("click", show);
  close.addEventListener("click", hide);
  panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      hide();
    }
  });
  panel.appendChild(close);
  panel.style.display = "none";

  /** Add the button and the panel once the page's body exists. */
  function attach() {
    document.body.appendChild(open);
    document.body.appendChild(panel);
  }

  if (document.body) {
    attach();
  } else {
    document.addEventListener("DOMContentLoaded", attach);
  }
})();
