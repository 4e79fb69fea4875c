// "Select all" for the bulk forms (applications to decide, participants to check in): a checkbox
// data-select-all="<form id>" ticks or clears every named checkbox of that form, including those tied to it by
// their form= attribute. It is hidden until this script runs: without scripts each one is ticked by hand.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("input[data-select-all]").forEach((all) => {
    const form = document.getElementById(all.dataset.selectAll);
    if (!form) return;
    const boxes = () => Array.from(form.elements).filter((el) => el.type === "checkbox" && el.name && !el.disabled);
    const show = () => {
      const ticked = boxes().filter((el) => el.checked).length;
      all.checked = ticked > 0 && ticked === boxes().length;
      all.indeterminate = ticked > 0 && ticked < boxes().length;
    };
    all.addEventListener("change", () => {
      boxes().forEach((el) => { el.checked = all.checked; });
    });
    boxes().forEach((el) => el.addEventListener("change", show));
    const wrapper = all.closest("[hidden]");
    if (wrapper) wrapper.hidden = false;
    show();
  });
});
