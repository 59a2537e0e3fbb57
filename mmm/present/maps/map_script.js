// MMM Planner's own map script (used by mmm/present/maps/leaflet.py, which fills __NS__, __MAP__ and D).
// The maps' own script: zone outline, scale, legend; then the perimeter's outline (perimeter
// map) or the choropleth layers, the grid and the legend that follows the chosen layer.
var __NS__ = (function (map, D) {
  var S = D.style, legend = L.control({position: 'bottomright'});
  if (map.attributionControl) map.attributionControl.setPrefix(false);
  L.control.scale({imperial: false}).addTo(map);
  map.createPane('mmmZone').style.zIndex = 340;
  map.createPane('mmmGrid').style.zIndex = 350;
  L.geoJSON(D.zone, {pane: 'mmmZone', interactive: false, style: {color: '#1d2733',
    weight: S.zoneWeight, dashArray: '8 5', fillColor: '#fff', fillOpacity: S.zoneFill}}).addTo(map);
  legend.onAdd = function () {
    var div = L.DomUtil.create('div', 'mmm-legend');
    L.DomEvent.disableClickPropagation(div);
    L.DomEvent.disableScrollPropagation(div);
    return div;
  };
  if (D.perimeter) {
    L.geoJSON(D.perimeter, {style: {color: '#124e8c', weight: 3, fillColor: '#124e8c',
      fillOpacity: 0.08}}).bindTooltip(D.name, {className: 'mmm-label'}).addTo(map);
    if (D.legend) { legend.addTo(map); legend.getContainer().innerHTML = D.legend; }
    return {};
  }
  function colour(v, br, col) {
    if (v < 0) return S.suppressed;  // a small count a partner may not see
    var i = 0;
    while (i < br.length - 1 && v > br[i]) i++;
    return v ? col[i] : null;
  }
  var layers = D.layers.map(function (spec, k) {
    var layer = L.geoJSON(D.perimeters, {
      filter: function (f) { return f.properties.n[k] !== null; },  // absent, not "0"
      style: function (f) {
        var c = colour(f.properties.n[k], spec.br, spec.col);
        return {color: '#1d2733', weight: S.weight, fillColor: c || '#fff', fillOpacity: c ? 0.75 : 0.4};
      },
      onEachFeature: function (f, l) {
        l.bindPopup(f.properties.popup, {maxWidth: 560});
        l.bindTooltip(f.properties.name + ' (' + f.properties.t[k] + ')', {permanent: S.permanent,
          direction: 'center', className: 'mmm-label', opacity: 0.92});
      }
    });
    layer.mmmIndex = k;
    return layer;
  });
  var current = D.selected, gridOn = true, renderer = L.canvas({pane: 'mmmGrid'});
  var grid = L.featureGroup(D.grid.c.map(function (ring, i) {
    var pts = [];
    for (var j = 0; j < ring.length; j += 2) pts.push([ring[j], ring[j + 1]]);
    var cell = L.polygon(pts, {renderer: renderer, pane: 'mmmGrid', weight: 0.5, color: '#7a4a00'});
    cell.mmmCounts = D.grid.n[i];
    return cell;
  })).bindTooltip(function (cell) {
    return D.layers[current].name + ': ' + cell.mmmCounts[current];
  }, {className: 'mmm-label'});
  function show() {
    var spec = D.layers[current];
    grid.eachLayer(function (cell) {
      var c = colour(cell.mmmCounts[current], spec.gbr, spec.gcol);
      cell.setStyle({fillColor: c || '#fff', fillOpacity: c ? 0.55 : 0, opacity: c ? 0.35 : 0});
    });
    legend.getContainer().innerHTML = spec.legend + (gridOn ? spec.glegend : '');
  }
  legend.addTo(map);
  show();
  map.on('baselayerchange', function (e) {
    if (e.layer.mmmIndex !== undefined) { current = e.layer.mmmIndex; show(); }
  });
  map.on('overlayadd overlayremove', function (e) {
    if (e.layer === grid) { gridOn = e.type === 'overlayadd'; show(); }
  });
  return {layers: layers, grid: grid};
})(__MAP__, __DATA__);
