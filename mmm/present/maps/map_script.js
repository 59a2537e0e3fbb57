// MMM Planner's own map script (used by mmm/present/maps/leaflet.py, which fills __NS__, __MAP__ and D).
// The maps' own script: zone outline, scale, legend; then the perimeter's outline and name
// (perimeter map) or the choropleth layers with their names, the grid, the street segments and
// the legend — one section per scale — that follows the chosen layer.
var __NS__ = (function (map, D) {
  var S = D.style;
  if (map.attributionControl) map.attributionControl.setPrefix(false);
  L.control.scale({imperial: false}).addTo(map);
  map.createPane('mmmZone').style.zIndex = 340;
  map.createPane('mmmGrid').style.zIndex = 350;
  map.createPane('mmmSegments').style.zIndex = 430;  // over the streets' grey lines
  L.geoJSON(D.zone, {pane: 'mmmZone', interactive: false, style: {color: '#1d2733',
    weight: S.zoneWeight, dashArray: '8 5', fillColor: '#fff', fillOpacity: S.zoneFill}}).addTo(map);
  if (D.perimeter) {
    var outline = L.geoJSON(D.perimeter, {style: {color: '#124e8c', weight: 3, fillColor: '#124e8c',
      fillOpacity: 0.08}}).addTo(map);
    var b = outline.getBounds();
    L.tooltip({permanent: true, direction: 'top', className: 'mmm-label mmm-plabel', opacity: 0.95})
      .setLatLng([b.getNorth(), b.getCenter().lng]).setContent(D.name).addTo(map);
    if (D.legend) MmmBackdrop.legend(map).set(D.legend);
    return {};
  }
  function colour(v, br, col) {
    if (v < 0) return S.suppressed;  // a small count a partner may not see
    var i = 0;
    while (i < br.length - 1 && v > br[i]) i++;
    return v ? col[i] : null;
  }
  function reachable(l, label) {  // a perimeter is reached with Tab; Enter or Space opens it
    var el = l.getElement();
    if (!el || el.mmmKeys) return;
    var text = document.createElement('span');
    text.innerHTML = label;  // the name arrives HTML-escaped: its text, for the screen reader
    el.setAttribute('tabindex', '0');
    el.setAttribute('role', 'button');
    el.setAttribute('aria-label', text.textContent);
    el.addEventListener('keydown', function (e) {
      if (e.key !== 'Enter' && e.key !== ' ') return;
      e.preventDefault();
      l.openPopup();
    });
    el.mmmKeys = true;
  }
  var layers = D.layers.map(function (spec, k) {
    var layer = L.geoJSON(D.perimeters, {
      filter: function (f) { return f.properties.n[k] !== null; },  // absent, not "0"
      style: function (f) {
        var c = colour(f.properties.n[k], spec.br, spec.col);
        return {color: '#1d2733', weight: S.weight, fillColor: c || '#fff', fillOpacity: c ? 0.7 : 0.4};
      },
      onEachFeature: function (f, l) {
        l.bindPopup(f.properties.popup, {maxWidth: 560});
        l.bindTooltip(f.properties.name + ' (' + f.properties.t[k] + ')', {permanent: true,
          direction: 'center', className: 'mmm-label mmm-plabel', opacity: 0.95});
        l.mmmRank = Math.max(f.properties.n[k], 0) * 1e6 + f.properties.area;  // busiest first
        l.on('add', function () { reachable(l, f.properties.name + ' (' + f.properties.t[k] + ')'); });
      }
    });
    layer.mmmIndex = k;
    MmmBackdrop.declutter(map, layer);
    return layer;
  });
  var current = D.selected, renderer = L.canvas({pane: 'mmmGrid'});
  var whole = new Intl.NumberFormat(D.locale, {maximumFractionDigits: 0});
  var gridOn = D.gridLayer, segmentsOn = false, legend = MmmBackdrop.legend(map, 'bottomleft');
  var grid = L.featureGroup(D.grid.c.map(function (ring, i) {
    var pts = [];
    for (var j = 0; j < ring.length; j += 2) pts.push([ring[j], ring[j + 1]]);
    var cell = L.polygon(pts, {renderer: renderer, pane: 'mmmGrid', weight: 0.5, color: '#2b4a6b'});
    cell.mmmCounts = D.grid.n[i];
    return cell;
  })).bindTooltip(function (cell) {
    return D.layers[current].name + ': ' + whole.format(cell.mmmCounts[current]);
  }, {className: 'mmm-label'});
  var segments = L.featureGroup(), segmentsLegend = '', asked = 0;
  function loadSegments() {  // the busiest street segments of the chosen phenomenon, from the app
    var n = ++asked, url = D.segments + '&phenomenon=' + encodeURIComponent(D.layers[current].code);
    fetch(url, {credentials: 'same-origin'}).then(function (r) { return r.json(); }).then(function (d) {
      if (n !== asked) return;
      segments.clearLayers();
      d.lines.forEach(function (s) {
        segments.addLayer(L.polyline(s.c, {pane: 'mmmSegments', color: s.colour, weight: 6,
          opacity: 0.9, lineCap: 'round'}).bindTooltip(s.label, {className: 'mmm-label', sticky: true}));
      });
      segmentsLegend = d.legend;
      show();
    });
  }
  segments.on('add', function () { segmentsOn = true; loadSegments(); });
  segments.on('remove', function () { segmentsOn = false; show(); });
  function show() {
    var spec = D.layers[current];
    grid.eachLayer(function (cell) {
      var c = colour(cell.mmmCounts[current], spec.gbr, spec.gcol);
      cell.setStyle({fillColor: c || '#fff', fillOpacity: c ? 0.55 : 0, opacity: c ? 0.35 : 0});
    });
    legend.set(spec.legend + (gridOn ? spec.glegend : '') + (segmentsOn ? segmentsLegend : ''));
  }
  show();
  map.on('baselayerchange', function (e) {
    if (e.layer.mmmIndex === undefined) return;
    current = e.layer.mmmIndex;
    show();
    if (segmentsOn) loadSegments();
  });
  map.on('overlayadd overlayremove', function (e) {
    if (e.layer === grid) { gridOn = e.type === 'overlayadd'; show(); }
  });
  return {layers: layers, grid: grid, segments: segments};
})(__MAP__, __DATA__);
