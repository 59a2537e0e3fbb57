// MMM Planner's extra map layers (used by mmm/present/maps/overlays.py, which fills __NS__,
// __MAP__ and __DATA__): each layer is a GeoJSON collection whose features carry their own
// style (polygons), circle (points: radius in metres) and escaped popup; while a layer is on the
// map its legend shows in a box of its own (bottom right), so the map's own legend keeps
// explaining the base layer.
var __NS__ = (function (map, D) {
  var box = L.control({position: 'bottomright'}), on = [];
  box.onAdd = function () {
    var div = L.DomUtil.create('div', 'mmm-legend mmm-overlay-legend');
    L.DomEvent.disableClickPropagation(div);
    return div;
  };
  function refresh() {
    if (!on.length) { if (box._map) box.remove(); return; }
    if (!box._map) box.addTo(map);
    box.getContainer().innerHTML = on.map(function (l) { return l.mmmExtraLegend; }).join('<hr>');
  }
  var layers = D.layers.map(function (spec) {
    var group = L.geoJSON(spec.features, {
      style: function (f) { return f.properties.style; },
      pointToLayer: function (f, latlng) { return L.circle(latlng, f.properties.circle); },
      onEachFeature: function (f, l) {
        if (f.properties.popup) l.bindPopup(f.properties.popup, {maxWidth: 440});
      }
    });
    group.mmmExtraLegend = spec.legend;
    return group;
  });
  map.on('overlayadd', function (e) {
    if (layers.indexOf(e.layer) >= 0) { on.push(e.layer); refresh(); }
  });
  map.on('overlayremove', function (e) {
    var i = on.indexOf(e.layer);
    if (i >= 0) { on.splice(i, 1); refresh(); }
  });
  return {layers: layers};
})(__MAP__, __DATA__);
