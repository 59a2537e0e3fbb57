// What pages ask for with data- attributes, for every page (the Content-Security-Policy allows
// no inline event handlers): [data-print] prints, select[data-submit] sends its form on a
// change, a[data-cell] shows that grid cell on the hotspot map.
"use strict";

document.addEventListener("click", (event) => {
  const target = event.target instanceof Element ? event.target : null;
  if (!target) return;
  if (target.closest("[data-print]")) {
    event.preventDefault();
    window.print();
    return;
  }
  const cell = target.closest("a[data-cell]");
  if (cell && window.mmmHotspots && window.mmmHotspots.show(cell.dataset.cell)) {
    event.preventDefault();
  }
});

document.addEventListener("change", (event) => {
  const target = event.target;
  if (target instanceof HTMLSelectElement && target.hasAttribute("data-submit") && target.form) {
    target.form.submit();
  }
});
