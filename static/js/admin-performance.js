// The admin's Site performance page: swaps in fresh figures every few seconds. Without this
// script the page is the same figures, refreshed by reloading it.
const panel = document.getElementById("performance-panel");
if (panel && window.fetch) {
  const seconds = Number(panel.dataset.refreshSeconds) || 10;
  const refresh = async () => {
    if (document.hidden) return;
    try {
      const response = await fetch(panel.dataset.panelUrl, { credentials: "same-origin" });
      if (response.ok) panel.innerHTML = await response.text();
    } catch {
      // Keep the last figures; the next refresh tries again.
    }
  };
  setInterval(refresh, seconds * 1000);
}
