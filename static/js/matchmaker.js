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
  // The language switcher submits on change; its button remains for keyboard and no-script use.
  document.querySelectorAll("select[data-autosubmit]").forEach((select) => {
    select.addEventListener("change", () => select.form.submit());
  });
});
