// Draws the page's charts: each <script type="application/json" data-chart="#target"> holds a
// Vega-Lite spec. Vega's expressions run in vega-interpreter instead of being compiled with
// Function(), so the Content-Security-Policy needs no 'unsafe-eval'.
"use strict";

for (const data of document.querySelectorAll("script[data-chart]")) {
  vegaEmbed(data.dataset.chart, JSON.parse(data.textContent), {
    actions: false,
    renderer: "svg",
    ast: true,
    expr: vega.expressionInterpreter,
  }).then(() => {
    // The menu's button is an icon only: name it with its tooltip, for a screen reader.
    const menu = document.querySelector(`${data.dataset.chart} details[title] > summary`);
    if (menu && !menu.hasAttribute("aria-label")) menu.setAttribute("aria-label", menu.parentElement.title);
  });
}
