// Small progressive enhancements; every page works without them.
document.addEventListener("DOMContentLoaded", () => {
  // Preselect the browser's time zone in empty time-zone pickers.
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  document.querySelectorAll("select[data-browser-timezone]").forEach((select) => {
    if (select.dataset.userChosen || !zone) return;
    const current = select.value;
    const hasOption = Array.from(select.options).some((o) => o.value === zone);
    if (hasOption && (!current || select.selectedIndex <= 0)) select.value = zone;
  });
  // A table or chart wider than the screen scrolls sideways inside the page: make such a box reachable with the
  // keyboard (Tab, then the arrow keys), as it is with a finger; boxes that fit are left out of the tab order.
  const scrollers = "main table, main figure, main .table-wrap, main .board-wrap, main .import-wrap";
  const reachScrollers = () => {
    document.querySelectorAll(scrollers).forEach((box) => {
      const scrolls = ["auto", "scroll"].includes(getComputedStyle(box).overflowX)
        && box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.dataset.scrollFocus = "1";
      } else if (!scrolls && box.dataset.scrollFocus) {
        box.removeAttribute("tabindex");
        delete box.dataset.scrollFocus;
      }
    });
  };
  reachScrollers();
  window.addEventListener("resize", reachScrollers);
  // Parts of a page that refresh themselves (the live board's rows) bring new tables.
  let pending = false;
  const main = document.querySelector("main");
  if (main) {
    new MutationObserver(() => {
      if (pending) return;
      pending = true;
      requestAnimationFrame(() => { pending = false; reachScrollers(); });
    }).observe(main, { childList: true, subtree: true });
  }
  // The language switcher submits on change; its button remains for keyboard and no-script use.
  document.querySelectorAll("select[data-autosubmit]").forEach((select) => {
    select.addEventListener("change", () => select.form.submit());
  });
});
