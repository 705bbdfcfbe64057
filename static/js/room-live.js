// Rooms in real time: upgrades the room page to its WebSocket (/ws/rooms/<room>/) when it can.
// Without it the page works as before: htmx polls the chat and the forms post. While the socket
// is open, polling requests are cancelled and chat is sent over the socket; when it closes, both
// fall back by themselves and the socket is retried with exponential backoff.
// The editor is whatever sits on <textarea id="id_code">: we read its value, and set it and
// dispatch `input` for remote changes, so a richer editor bound to it keeps working.
// Protocol: collaboration/frames.py.

const EDIT_DEBOUNCE_MS = 250;
const PING_EVERY_MS = 25_000;
const SILENCE_LIMIT_MS = 60_000;
const RETRY_FIRST_MS = 500;
const RETRY_MAX_MS = 30_000;
const MESSAGES_KEPT = 200;

const root = document.querySelector("[data-live-path]");
if (root && "WebSocket" in window) {
  startLiveRoom(root);
}

function startLiveRoom(root) {
  const editor = document.getElementById("id_code");
  const versionInput = document.getElementById("id_version");
  const versionLabel = document.getElementById("code-version");
  const chat = document.getElementById("chat-messages");
  const chatForm = document.getElementById("chat-form");
  const status = document.getElementById("live-status");
  const url = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}${root.dataset.livePath}`;

  let socket = null;
  let live = false;
  let everLive = false;
  let failures = 0;
  let version = Number(versionInput.value);
  let editInFlight = false;
  let editDirty = false;
  let editTimer = null;
  let applyingRemote = false;
  let lastHeard = 0;
  let pinger = null;
  let nextRef = 0;
  const pendingChat = new Map();
  // Close codes the server ends a socket with for good (collaboration/consumers.py).
  const FINAL_CLOSE_CODES = [4001, 4004, 4029];
  let endedBecause = "";

  function connect() {
    socket = new WebSocket(url);
    socket.addEventListener("message", (event) => {
      lastHeard = Date.now();
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch {
        return;
      }
      handle(frame);
    });
    socket.addEventListener("close", (event) => {
      if (FINAL_CLOSE_CODES.includes(event.code)) {
        // Signed out, the room closed, or open in too many tabs: reconnecting cannot help.
        live = false;
        socket = null;
        clearInterval(pinger);
        setChatBusy(false);
        showStatus(endedBecause || "Live updates ended: reload the page.");
        return;
      }
      const wasLive = live;
      live = false;
      socket = null;
      clearInterval(pinger);
      editInFlight = false;
      pendingChat.clear();
      setChatBusy(false);
      failures = wasLive ? 1 : failures + 1;
      const delay = Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** (failures - 1));
      // Jitter, so a restarted server is not met by every client in the same instant.
      setTimeout(connect, delay * (0.5 + Math.random() / 2));
      showStatus(everLive ? "Live updates paused: reconnecting…" : "");
    });
  }

  function send(frame) {
    if (!live || socket.readyState !== WebSocket.OPEN) return false;
    socket.send(JSON.stringify(frame));
    return true;
  }

  function handle(frame) {
    switch (frame.type) {
      case "welcome":
        live = everLive = true;
        failures = 0;
        renderMessages(frame.messages, { replace: true });
        showPresence(frame.users);
        // The same rule as the server's: text typed on top of the current version (offline, or
        // before the socket opened) is sent as an edit; if the room moved on, its code wins.
        if (frame.version === version && editor.value !== frame.code) {
          editDirty = true;
          flushEdit();
        } else {
          editDirty = false;
          applyRemoteCode(frame.code, frame.version);
        }
        pinger = setInterval(keepAlive, PING_EVERY_MS);
        break;
      case "chat":
        renderMessages([frame.message]);
        break;
      case "ack":
        renderMessages([frame.message]);
        if (pendingChat.has(frame.ref)) {
          pendingChat.delete(frame.ref);
          chatForm.reset();
          setChatBusy(false);
        }
        break;
      case "code":
        // Someone else's accepted edit; older ones (reordered in flight) are ignored. Unsent
        // local typing is dropped: it was based on a version that no longer exists.
        if (frame.version > version) {
          applyRemoteCode(frame.code, frame.version);
          editDirty = false;
        }
        break;
      case "saved":
        editInFlight = false;
        setVersion(frame.version);
        if (editDirty) scheduleEdit();
        break;
      case "stale":
        editInFlight = false;
        editDirty = false;
        applyRemoteCode(frame.code, frame.version);
        showStatus(`Live · someone else's edit came first; the code shows theirs`);
        break;
      case "presence":
        showPresence(frame.users);
        break;
      case "edited":
        replaceMessage(frame.message);
        break;
      case "removed":
        for (const id of frame.ids) chat.querySelector(`li[data-id="${Number(id)}"]`)?.remove();
        break;
      case "error":
        if (["signed_out", "room_closed", "too_many_connections"].includes(frame.code)) {
          endedBecause = frame.message;
        }
        if (pendingChat.has(frame.ref)) {
          pendingChat.delete(frame.ref);
          setChatBusy(false);
          showStatus(`Live · message not sent: ${frame.message}`);
        } else if (frame.ref === "edit") {
          editInFlight = false;
          showStatus(`Live · edit not saved: ${frame.message}`);
          if (["rate_limited", "busy", "unavailable"].includes(frame.code)) {
            editDirty = true;
            setTimeout(flushEdit, 1000);
          }
        }
        break;
    }
  }

  function keepAlive() {
    // A socket that went quiet (a sleeping laptop, a dead proxy) may never fire `close`.
    if (Date.now() - lastHeard > SILENCE_LIMIT_MS) {
      socket.close();
      return;
    }
    send({ type: "ping" });
  }

  function scheduleEdit() {
    clearTimeout(editTimer);
    editTimer = setTimeout(flushEdit, EDIT_DEBOUNCE_MS);
  }

  function flushEdit() {
    // One edit in flight at a time: the next is based on the version the server gave the last.
    if (!live || editInFlight || !editDirty) return;
    if (send({ type: "edit", code: editor.value, version, ref: "edit" })) {
      editInFlight = true;
      editDirty = false;
    }
  }

  function applyRemoteCode(code, newVersion) {
    setVersion(newVersion);
    if (editor.value === code) return;
    const { selectionStart, selectionEnd } = editor;
    applyingRemote = true;
    editor.value = code;
    editor.dispatchEvent(new Event("input", { bubbles: true }));
    applyingRemote = false;
    editor.setSelectionRange(Math.min(selectionStart, code.length), Math.min(selectionEnd, code.length));
  }

  function setVersion(newVersion) {
    version = newVersion;
    versionInput.value = String(newVersion);
    versionLabel.textContent = String(newVersion);
  }

  function renderMessages(messages, { replace = false } = {}) {
    let list = chat.querySelector(".chat-log");
    if (replace || !list) {
      list = document.createElement("ol");
      list.className = "chat-log";
      list.setAttribute("aria-live", "polite");
      chat.replaceChildren(list);
    }
    for (const message of messages) {
      if (list.querySelector(`li[data-id="${message.id}"]`)) continue;
      list.querySelector("li:not([data-id])")?.remove(); // "No messages yet"
      list.append(messageItem(message));
    }
    while (list.children.length > MESSAGES_KEPT) list.firstElementChild.remove();
    list.lastElementChild?.scrollIntoView({ block: "nearest" });
  }

  function replaceMessage(message) {
    chat.querySelector(`li[data-id="${Number(message.id)}"]`)?.replaceWith(messageItem(message));
  }

  function messageItem(message) {
    // Built from text nodes only: a message body is never parsed as HTML.
    const item = document.createElement("li");
    item.dataset.id = String(message.id);
    const author = document.createElement("strong");
    author.textContent = message.author;
    const time = document.createElement("time");
    time.className = "meta";
    time.dateTime = message.created_at;
    time.textContent = message.created_at.slice(11, 16); // UTC, as the server renders it
    const body = document.createElement("p");
    message.body.split("\n").forEach((line, index) => {
      if (index) body.append(document.createElement("br"));
      body.append(line);
    });
    item.append(author, " ", time, body);
    return item;
  }

  function showPresence(users) {
    const names = users.map((user) => user.username).join(", ");
    if (live) showStatus(`Live · here now: ${names}`);
  }

  function showStatus(text) {
    status.textContent = text;
    status.hidden = !text;
  }

  function setChatBusy(busy) {
    const button = chatForm?.querySelector("button[type=submit]");
    if (button) button.disabled = busy;
  }

  editor.addEventListener("input", () => {
    if (applyingRemote) return;
    editDirty = true; // remembered while offline too: the welcome decides what happens to it
    scheduleEdit();
  });

  // Capture phase on the document: runs before htmx's own submit handler on the form, so a
  // message sent over the socket is not posted a second time.
  document.addEventListener(
    "submit",
    (event) => {
      if (event.target !== chatForm || !live) return;
      const body = chatForm.elements.body.value.trim();
      event.preventDefault();
      event.stopPropagation();
      if (!body || pendingChat.size) return;
      const ref = `chat-${++nextRef}`;
      if (send({ type: "chat", body, ref })) {
        pendingChat.set(ref, body);
        setChatBusy(true);
      }
    },
    true,
  );

  // While live, the socket delivers every message: cancel htmx's polling requests.
  chat.addEventListener("htmx:beforeRequest", (event) => {
    if (live) event.preventDefault();
  });

  connect();
}
