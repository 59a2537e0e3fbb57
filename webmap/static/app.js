// What every page needs from a script (the Content-Security-Policy allows no inline event
// handlers): [data-print] prints, select[data-submit] sends its form on a change, a[data-cell]
// shows that grid cell on the hotspot map; wide tables scroll in a box of their own, a narrow
// map folds its legend and layer list behind buttons, and icon-only map buttons get a name.
"use strict";

const uiText = (() => {
  const data = document.getElementById("ui-text");
  return data ? JSON.parse(data.textContent) : {};
})();

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

// Every data table sits in a box that scrolls sideways when the table is wider than the screen;
// a box that scrolls can be reached with the Tab key and is named for a screen reader.
function wrapTables(root) {
  for (const table of root.querySelectorAll("table.data")) {
    if (table.parentElement.classList.contains("table-scroll")) continue;
    const box = document.createElement("div");
    box.className = "table-scroll";
    table.replaceWith(box);
    box.appendChild(table);
  }
}

function markScrollers() {
  for (const box of document.querySelectorAll(".table-scroll, .slide-facts")) {
    const scrolls = box.scrollWidth > box.clientWidth + 1 || box.scrollHeight > box.clientHeight + 1;
    if (scrolls && !box.hasAttribute("tabindex")) {
      box.tabIndex = 0;
      if (!box.hasAttribute("aria-label")) {
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", box.dataset.label || uiText.scrollTable || "Table");
        box.dataset.marked = "1";
      }
    } else if (!scrolls && box.dataset.marked) {
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
      box.removeAttribute("aria-label");
      delete box.dataset.marked;
    }
  }
}

// A map narrower than this folds its legend and its layer list; a button opens each again.
const NARROW_MAP = 640;

function foldMap(container) {
  const legend = container.querySelector(".mmm-legend");
  const corner = legend && legend.parentElement;  // the map corner the legend sits in
  if (!corner || container.querySelector(".legend-toggle")) return;
  const button = document.createElement("button");
  button.type = "button";
  button.className = "legend-toggle leaflet-control";
  button.textContent = uiText.legend || "Legend";
  for (const kind of ["click", "dblclick", "mousedown", "touchstart", "wheel"]) {
    button.addEventListener(kind, (event) => event.stopPropagation());
  }
  button.addEventListener("click", () => {
    const folded = container.classList.toggle("legend-folded");
    button.setAttribute("aria-expanded", String(!folded));
  });
  corner.appendChild(button);
  const layers = container.querySelector(".leaflet-control-layers");
  const narrow = container.clientWidth < NARROW_MAP;
  container.classList.toggle("legend-foldable", narrow);
  container.classList.toggle("legend-folded", narrow);
  button.setAttribute("aria-expanded", String(!narrow));
  if (narrow && layers && layers.classList.contains("leaflet-control-layers-expanded")) {
    layers.classList.remove("leaflet-control-layers-expanded"); // its button opens it again
    container.addEventListener("click", (event) => {
      if (!layers.contains(event.target)) layers.classList.remove("leaflet-control-layers-expanded");
    });
  }
}

// Map buttons drawn as icons (the editor's drawing tools) carry their name as a tooltip on their
// box only: give it to the button itself, for a screen reader and for speech input.
function nameIconButtons() {
  for (const button of document.querySelectorAll(".leaflet-container a[role=button]:not([aria-label])")) {
    const title = button.title || (button.parentElement && button.parentElement.title);
    if (title && !button.textContent.trim()) button.setAttribute("aria-label", title);
  }
}

function foldMaps() {
  for (const container of document.querySelectorAll(".leaflet-container")) {
    if (container.querySelector(".mmm-legend")) foldMap(container);
  }
}

wrapTables(document);
window.addEventListener("load", () => {
  foldMaps();
  nameIconButtons();
  markScrollers();
});
let resizing = false;
window.addEventListener("resize", () => {
  if (resizing) return;
  resizing = true;
  requestAnimationFrame(() => {
    resizing = false;
    markScrollers();
  });
});
