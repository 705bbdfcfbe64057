// Clears the chat box once htmx has posted a message. A file rather than an hx-on attribute:
// htmx runs hx-on code through eval, which the Content-Security-Policy forbids.
document.addEventListener("htmx:afterRequest", (event) => {
  const form = event.detail.elt;
  if (event.detail.successful && form instanceof HTMLFormElement && form.matches("[data-reset-on-success]")) {
    form.reset();
  }
});
