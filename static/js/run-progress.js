// While a scheduler run works, the board's panel (#run-progress) asks the server for its progress every second
// and puts the texts it gets in their places (the best schedule so far sits in an aria-live region, so a screen
// reader hears each improvement). When the run is over, the page is loaded again, once, to show the result.
// A failed fetch (network, signed out) leaves the texts as they were; the next attempt tries again.
document.addEventListener("DOMContentLoaded", () => {
  const panel = document.getElementById("run-progress");
  if (!panel || !panel.dataset.url) return;
  const poll = async () => {
    try {
      const response = await fetch(panel.dataset.url, {
        headers: { Accept: "application/json" }, credentials: "same-origin", cache: "no-store",
      });
      if (response.ok && !response.redirected) {
        const run = await response.json();
        if (!run.active) {
          window.location.reload();
          return;
        }
        for (const [name, text] of Object.entries(run.texts || {})) {
          const place = panel.querySelector(`[data-text="${name}"]`);
          if (place && place.textContent !== text) place.textContent = text;
        }
      }
    } catch (error) {
      // Keep the last texts on screen.
    }
    window.setTimeout(poll, 1000);
  };
  window.setTimeout(poll, 1000);
});
