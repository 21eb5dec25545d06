/* FHB-bot web chat: talks only to this server's /api; Rasa owns the dialogue.
 *
 * The session token lives in localStorage, so a reload shows the conversation again.
 * Every /api answer is a JSON list of messages: {from, text, buttons, ask, time}.
 * Plain modern JavaScript, no build step, no inline script (the page's CSP forbids it).
 */
(function () {
  "use strict";

  var STORE_KEY = "fhb-web-session";
  var POLL_MS = 45000;
  var LIVE_POLL_MS = 3000; // while a person from the kommune is (about to be) in the chat
  var T = JSON.parse(document.getElementById("fhb-texts").textContent);
  var MAX = T.maxChars;
  var FNR = /(^|\D)\d{6}\s?\d{5}(?!\d)/g;

  var list = document.getElementById("messages");
  var typing = document.getElementById("typing");
  var form = document.getElementById("composer");
  var input = document.getElementById("message-input");
  var notice = document.getElementById("input-notice");
  var forgetButton = document.getElementById("forget");
  var confirmBox = document.getElementById("forget-confirm");
  var confirmQuestion = document.getElementById("forget-question");
  var forgetYes = document.getElementById("forget-yes");
  var forgetNo = document.getElementById("forget-no");

  var memoryToken = null; // used when the browser refuses localStorage (some iframes)
  var busy = false;
  var live = false; // the server says a person is, or will soon be, writing
  var pollTimer = null;
  var touch = window.matchMedia && window.matchMedia("(pointer: coarse)").matches;

  // --- the session token ---------------------------------------------------------------------

  /** The stored session token, or null. */
  function getToken() {
    try {
      return window.localStorage.getItem(STORE_KEY) || memoryToken;
    } catch (e) {
      return memoryToken;
    }
  }

  /** Store (or, with null, forget) the session token. */
  function setToken(token) {
    memoryToken = token;
    try {
      if (token) {
        window.localStorage.setItem(STORE_KEY, token);
      } else {
        window.localStorage.removeItem(STORE_KEY);
      }
    } catch (e) {
      /* the token then lives only as long as the page */
    }
  }

  /** Ask the server for a new session token and keep it. */
  async function newSession() {
    var response = await fetch("/api/session", { method: "POST", credentials: "same-origin" });
    if (!response.ok) {
      throw new Error("session " + response.status);
    }
    var data = await response.json();
    setToken(data.token);
    return data.token;
  }

  /** Call the API; returns {ok, status, messages}. Network failure: the offline apology. */
  async function api(method, path, body) {
    var token = getToken();
    var options = { method: method, credentials: "same-origin", headers: {} };
    if (token) {
      options.headers["X-FHB-Session"] = token;
    }
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    try {
      var response = await fetch(path, options);
      var messages = [];
      try {
        messages = await response.json();
      } catch (e) {
        messages = [];
      }
      if (!Array.isArray(messages)) {
        messages = [];
      }
      if (!response.ok && messages.length === 0 && response.status !== 401) {
        messages = [botText(T.offline)];
      }
      if (response.ok) {
        setLive(response.headers.get("X-FHB-Live") === "1");
      }
      return { ok: response.ok, status: response.status, messages: messages };
    } catch (e) {
      return { ok: false, status: 0, messages: [botText(T.offline)] };
    }
  }

  // --- rendering -----------------------------------------------------------------------------

  /** A bot message made here (offline apology, notices). */
  function botText(text) {
    return { from: "bot", text: text, buttons: [], ask: null };
  }

  /** Disable every choice still open (the person has moved on). */
  function closeChoices() {
    var open = list.querySelectorAll("button.choice:not([disabled])");
    for (var i = 0; i < open.length; i++) {
      open[i].disabled = true;
    }
  }

  /** Mark `button` as the one chosen: disabled, with a check mark and "Du valgte". */
  function markChosen(button) {
    button.classList.add("chosen");
    button.textContent = T.chosen.replace("{title}", button.dataset.title);
  }

  /** One message as a list item; open choices get click handlers. */
  function renderMessage(message, open) {
    var item = document.createElement("li");
    var mine = message.from === "user";
    item.className = "msg " + (mine ? "msg-user" : "msg-bot");
    var who = document.createElement("p");
    who.className = "who";
    who.textContent = mine ? T.you : T.bot;
    item.appendChild(who);
    if (message.text) {
      var text = document.createElement("p");
      text.className = "text";
      text.textContent = message.text;
      item.appendChild(text);
    }
    var buttons = message.buttons || [];
    if (buttons.length) {
      var group = document.createElement("div");
      group.className = "choices";
      group.setAttribute("role", "group");
      group.setAttribute("aria-label", T.choices);
      buttons.forEach(function (b) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "choice";
        button.textContent = b.title;
        button.dataset.title = b.title;
        button.dataset.payload = b.payload;
        button.disabled = !open;
        button.addEventListener("click", function () {
          choose(button);
        });
        group.appendChild(button);
      });
      item.appendChild(group);
    }
    list.appendChild(item);
    return item;
  }

  /** Height of the message field when it stays at the bottom of the screen, else 0. */
  function composerOverlap() {
    return window.getComputedStyle(form).position === "sticky"
      ? form.getBoundingClientRect().height
      : 0;
  }

  /** Scrolling into view must stop above the message field that stays at the bottom. */
  function updateScrollPadding() {
    document.documentElement.style.scrollPaddingBottom = composerOverlap() + "px";
  }

  /** Keep the new messages in view: all of them if they fit, else from the first. */
  function reveal(first, last) {
    if (!first) {
      return;
    }
    updateScrollPadding();
    var room = window.innerHeight - composerOverlap();
    var span = last.getBoundingClientRect().bottom - first.getBoundingClientRect().top;
    if (span <= room) {
      last.scrollIntoView({ block: "end" });
    } else {
      first.scrollIntoView({ block: "start" });
    }
  }

  /** Show bot messages (their choices open) and set the input for the last one's question. */
  function showReplies(messages) {
    var first = null;
    var last = null;
    messages.forEach(function (m) {
      last = renderMessage(m, true);
      first = first || last;
    });
    var asked = messages.length ? messages[messages.length - 1].ask : null;
    setAsk(asked);
    reveal(first, last);
  }

  /** The conversation after a reload: choices open only after the last thing the person said. */
  function showHistory(messages) {
    var lastUser = -1;
    messages.forEach(function (m, i) {
      if (m.from === "user") {
        lastUser = i;
      }
    });
    var item = null;
    messages.forEach(function (m, i) {
      item = renderMessage(m, i > lastUser);
      var next = messages[i + 1];
      if (m.buttons && m.buttons.length && next && next.from === "user") {
        var buttons = item.querySelectorAll("button.choice");
        for (var j = 0; j < buttons.length; j++) {
          if (buttons[j].dataset.title === next.text) {
            markChosen(buttons[j]);
          }
        }
      }
    });
    if (item) {
      updateScrollPadding();
      item.scrollIntoView({ block: "end" });
    }
  }

  /** Phone questions get the phone keypad and the browser's saved number. */
  function setAsk(ask) {
    if (ask === "phone") {
      input.setAttribute("inputmode", "tel");
      input.setAttribute("autocomplete", "tel");
    } else {
      input.removeAttribute("inputmode");
      input.setAttribute("autocomplete", "off");
    }
  }

  /** Focus the input without popping up a phone's keyboard over the new choices. */
  function focusInput() {
    if (!touch) {
      input.focus({ preventScroll: true });
    }
  }

  /** Show or hide "Kommunen skriver …". */
  function setTyping(on) {
    busy = on;
    typing.textContent = on ? T.typing : "";
  }

  // --- sending -------------------------------------------------------------------------------

  /** Call an API that relays to Rasa; start a new session once if the token was refused. */
  async function relay(path, body) {
    setTyping(true);
    try {
      if (!getToken()) {
        await newSession();
      }
      var result = await api("POST", path, body);
      if (result.status === 401) {
        setToken(null);
        await newSession();
        result = await api("POST", path, body);
      }
      return result;
    } catch (e) {
      return { ok: false, status: 0, messages: [botText(T.offline)] };
    } finally {
      setTyping(false);
    }
  }

  /** Send what the person typed or chose, show it, then show the replies. */
  async function send(body, shown) {
    closeChoices();
    var mine = renderMessage({ from: "user", text: shown, buttons: [] }, false);
    var result = await relay("/api/message", body);
    if (result.messages.some(function (m) { return m.text === T.idRemoved; })) {
      // The server removed a fødselsnummer before Rasa saw it; hide it here too.
      mine.querySelector(".text").textContent = shown.replace(FNR, "$1***********");
    }
    showReplies(result.messages);
  }

  /** A choice was pressed: mark it, close the others, send its payload. */
  function choose(button) {
    if (busy || button.disabled) {
      return;
    }
    var payload = button.dataset.payload;
    var title = button.dataset.title;
    closeChoices();
    markChosen(button);
    focusInput();
    // Button payloads that are not commands ("Hva er ...?") are sent as text.
    var body = payload.charAt(0) === "/" ? { payload: payload } : { text: payload };
    send(body, title);
  }

  /** The form was submitted (Send or Enter). */
  function submitTyped(event) {
    event.preventDefault();
    var text = input.value.trim();
    if (busy || !text) {
      focusInput();
      return;
    }
    input.value = "";
    notice.textContent = "";
    focusInput();
    send({ text: text }, text);
  }

  /** Enter sends; Shift+Enter makes a new line. */
  function onKeyDown(event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit ? form.requestSubmit() : submitTyped(event);
    }
  }

  /** A paste over the limit is cut by maxlength; say so. */
  function onPaste(event) {
    var pasted = (event.clipboardData || window.clipboardData).getData("text") || "";
    var kept = input.value.length - (input.selectionEnd - input.selectionStart);
    if (kept + pasted.length > MAX) {
      // Let the browser paste (maxlength cuts it), then say what happened.
      window.setTimeout(function () {
        notice.textContent = T.pasteCut.replace("{max}", String(MAX));
      }, 0);
    }
  }

  /** Typing up to the limit: say it is reached; clear the notice below it. */
  function onInput() {
    if (input.value.length >= MAX) {
      if (!notice.textContent) {
        notice.textContent = T.atLimit.replace("{max}", String(MAX));
      }
    } else if (notice.textContent && input.value.length < MAX - 50) {
      notice.textContent = "";
    }
  }

  // --- start, reload, updates ----------------------------------------------------------------

  /** A new conversation: link it to the letter's code, or get the greeting. */
  async function startConversation(code) {
    var result = await relay("/api/start", code ? { code: code } : {});
    showReplies(result.messages);
    if (code && result.ok) {
      // The code has done its work; keep it out of the address bar and bookmarks.
      window.history.replaceState(null, "", window.location.pathname);
    }
  }

  /** On load: show the stored conversation, or start a new one. */
  async function boot() {
    var code = new URLSearchParams(window.location.search).get("kode");
    if (getToken()) {
      var result = await api("GET", "/api/history");
      if (result.ok && result.messages.length) {
        showHistory(result.messages);
        if (code) {
          window.history.replaceState(null, "", window.location.pathname);
        }
        return;
      }
      if (!result.ok && result.status !== 401) {
        showReplies(result.messages);
        return;
      }
      if (result.status === 401) {
        setToken(null);
      }
    }
    await startConversation(code);
  }

  /** Poll every few seconds while a person from the kommune writes, else now and then. */
  function setLive(on) {
    if (on !== live) {
      live = on;
      schedulePoll();
    }
  }

  /** (Re)start the timer for the next poll. */
  function schedulePoll() {
    if (pollTimer !== null) {
      window.clearTimeout(pollTimer);
    }
    pollTimer = window.setTimeout(function () {
      pollTimer = null;
      poll().finally(schedulePoll);
    }, live ? LIVE_POLL_MS : POLL_MS);
  }

  /** Fetch messages the kommune sent meanwhile (reminders, a staff member's answers). */
  async function poll() {
    if (busy || !getToken() || document.hidden) {
      return;
    }
    var result = await api("GET", "/api/updates");
    if (result.ok && result.messages.length) {
      showReplies(result.messages);
    }
  }

  // --- "Slett samtalen" ----------------------------------------------------------------------

  /** Show or hide the confirmation step. */
  function showConfirm(on) {
    confirmBox.hidden = !on;
    forgetButton.setAttribute("aria-expanded", on ? "true" : "false");
    if (on) {
      confirmQuestion.focus();
    }
  }

  /** Erase the conversation on the server and in this browser. */
  async function forget() {
    if (getToken()) {
      var result = await api("POST", "/api/forget");
      if (!result.ok && result.status !== 401) {
        showConfirm(false);
        showReplies(result.messages);
        return;
      }
    }
    setToken(null);
    list.textContent = "";
    notice.textContent = "";
    input.value = "";
    setAsk(null);
    showConfirm(false);
    showReplies([botText(T.forgetDone)]);
    input.focus({ preventScroll: true });
  }

  form.addEventListener("submit", submitTyped);
  input.addEventListener("keydown", onKeyDown);
  input.addEventListener("paste", onPaste);
  input.addEventListener("input", onInput);
  forgetButton.addEventListener("click", function () {
    showConfirm(confirmBox.hidden);
  });
  forgetYes.addEventListener("click", forget);
  forgetNo.addEventListener("click", function () {
    showConfirm(false);
    notice.textContent = T.forgetKept;
    forgetButton.focus();
  });
  confirmBox.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      showConfirm(false);
      forgetButton.focus();
    }
  });
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) {
      poll();
    }
  });
  window.addEventListener("resize", updateScrollPadding);
  schedulePoll();
  boot();
})();
