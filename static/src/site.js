// On every page, and kept to a few hundred bytes: registers the service worker and, the first
// time a learner focuses or clicks a code <textarea data-editor>, loads the editor module named
// by that attribute. Until then (and without JavaScript) the plain textarea is the editor.

const worker = navigator.serviceWorker;
if (worker) {
  addEventListener("load", () => {
    worker
      .register("/sw.js")
      .then(() => worker.ready)
      .then(({ active }) => {
        const page = document.documentElement.dataset;
        // The worker drops its page copies when the viewer changes, and keeps this page for
        // offline reading when the page allows it (the first visit is not yet under its control).
        active.postMessage({ viewer: page.viewer || "", keep: page.offline != null ? location.href : null });
      })
      .catch(() => {});
  });
}

function openEditor(textarea) {
  if (textarea.dataset.state) return;
  textarea.dataset.state = "loading";
  // The textarea stays visible, focused and editable while the editor loads: hiding it would
  // drop its focus, and whatever the learner typed meanwhile would go nowhere (no text, no
  // `input` event for a live room). The editor takes over its text, selection and focus.
  const skeleton = document.createElement("div");
  skeleton.className = "editor-skeleton";
  skeleton.setAttribute("role", "status");
  skeleton.textContent = "Loading the editor…";
  textarea.after(skeleton);
  import(textarea.dataset.editor)
    .then((editor) =>
      editor.mountEditor(textarea, { replace: skeleton, focus: document.activeElement === textarea }),
    )
    .catch(() => {
      // Offline or blocked: the textarea keeps working as it did.
      skeleton.remove();
      delete textarea.dataset.state;
    });
}

for (const type of ["focusin", "pointerdown"]) {
  document.addEventListener(type, (event) => {
    const textarea = event.target.closest?.("textarea[data-editor]");
    if (textarea) openEditor(textarea);
  });
}

// "Check my solution" without a reload: the same form post, answered with only the verdict
// (X-Check), which replaces the old one; the compiler's messages go inline into the editor.
document.addEventListener("submit", (event) => {
  const form = event.target.closest?.("form[data-check]");
  const old = document.getElementById("check-result");
  if (!form || !old || !window.fetch) return;
  event.preventDefault();
  const button = form.querySelector("button");
  button.disabled = true;
  fetch(form.action, { method: "POST", body: new FormData(form), headers: { "X-Check": "1" } })
    .then((response) => response.text())
    .then((html) => {
      const box = document.createElement("div");
      box.innerHTML = html;
      const verdict = box.querySelector("#check-result");
      if (!verdict) throw new Error("no verdict");
      document.getElementById("check-result").replaceWith(verdict);
      const status = box.querySelector("#lesson-status");
      if (status) document.getElementById("lesson-status")?.replaceWith(status);
      form.elements.failed_attempts.value = verdict.dataset.failedAttempts || "0";
      const textarea = form.querySelector("textarea[data-editor]");
      const found = verdict.querySelector("#check-diagnostics");
      if (found || textarea.dataset.state) {
        import(textarea.dataset.editor)
          .then((editor) => editor.showDiagnostics(textarea, found ? JSON.parse(found.textContent) : []))
          .catch(() => {});
      }
    })
    .catch(() => form.submit())
    .finally(() => (button.disabled = false));
});
