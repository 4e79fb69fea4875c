// The live table board reloads its rows every few seconds without reloading the page; when the
// fetch fails (network, signed out) the rows stay as they were and the next attempt tries again.
document.addEventListener("DOMContentLoaded", () => {
  const box = document.getElementById("live-rows");
  if (!box || !box.dataset.url) return;
  const seconds = Number(box.dataset.refresh) || 30;
  const refresh = async () => {
    try {
      const response = await fetch(box.dataset.url, { headers: { Accept: "text/html" }, credentials: "same-origin" });
      if (response.ok && !response.redirected) box.innerHTML = await response.text();
    } catch (error) {
      // Keep the last rows on screen.
    }
  };
  window.setInterval(refresh, seconds * 1000);
});
