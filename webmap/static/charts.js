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
  });
}
