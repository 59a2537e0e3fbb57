// MMM Planner's hotspot map script (used by mmm/present/maps/hotspot.py, which fills __NS__, __MAP__
// and D). Draws the zone, the multi-phenomenon cells, one Gi* layer per phenomenon (built on
// first display), the candidate and existing perimeters; popups are built here from the numbers
// in D.cells and the translated strings in D.text; the legend follows the chosen layer.
var __NS__ = (function (map, D) {
  var S = D.style, C = D.cells, T = D.text;
  if (map.attributionControl) map.attributionControl.setPrefix(false);
  L.control.scale({imperial: false}).addTo(map);
  [['mmmZone', 340], ['mmmCells', 360], ['mmmPerimeters', 450], ['mmmCandidates', 460]]
    .forEach(function (p) { map.createPane(p[0]).style.zIndex = p[1]; });
  var zone = L.geoJSON(D.zone, {pane: 'mmmZone', interactive: false, style: {color: '#1d2733',
    weight: S.zoneWeight, dashArray: '8 5', fillColor: '#fff', fillOpacity: S.zoneFill}}).addTo(map);
  var renderer = L.canvas({pane: 'mmmCells', padding: 0.5});

  var two = new Intl.NumberFormat(D.locale, {minimumFractionDigits: 2, maximumFractionDigits: 2});
  var whole = new Intl.NumberFormat(D.locale, {maximumFractionDigits: 0});
  var sig = new Intl.NumberFormat(D.locale, {maximumSignificantDigits: 2});
  function fmt(s, v) {
    return s.replace(/\{(\w+)\}/g, function (m, k) { return v[k] === undefined ? m : v[k]; });
  }
  function hotText(n) { return n === 1 ? T.hot1 : fmt(T.hotN, {n: n}); }
  function pText(p) { return p < 0.0001 ? '&lt; ' + sig.format(0.0001) : sig.format(p); }
  function why(i) {  // the phenomena hot in cell i, strongest z first, in words and a table
    var hot = [];
    for (var k = 0; k < D.labels.length; k++) if (C.b[k][i] >= D.hotLevel) hot.push(k);
    hot.sort(function (a, b) { return C.z[b][i] - C.z[a][i]; });
    var head = T.head.map(function (h, j) {
      return '<th' + (j === 1 || j === 2 ? ' class="num"' : '') + '>' + h + '</th>';
    }).join('');
    var rows = hot.map(function (k) {
      return '<tr><td>' + D.labels[k] + '</td><td class="num">' + whole.format(C.k[k][i]) +
        '</td><td class="num">' + two.format(C.z[k][i]) + '</td><td>' + T.trends[C.t[k][i]] +
        (C.k[k][i] === 0 ? ' <small class="mmm-borrowed">' + T.neighbours + '</small>' : '') +
        '</td></tr>';
    }).join('');
    return '<strong>' + hotText(C.n[i]) + '</strong>' +
      (C.n[i] >= D.minHot ? ' — <span class="mmm-multi">' + T.multi + '</span>' : '') +
      '<br>' + T.why + '<table><thead><tr>' + head + '</tr></thead><tbody>' + rows +
      '</tbody></table><small>' + fmt(T.composite, {s: two.format(C.s[i])}) + '</small>';
  }
  function gi(i, k) {  // one phenomenon's Gi* class, z, p, count and trend in cell i
    var b = C.b[k][i], a = Math.abs(b);
    var cls = b > 0 ? fmt(T.hotSpot, {c: T.conf[a]}) : b < 0 ? fmt(T.coldSpot, {c: T.conf[a]})
      : T.notSig;
    return '<strong>' + D.labels[k] + '</strong>: ' + cls + '<br>' +
      fmt(T.zp, {z: two.format(C.z[k][i]), p: pText(C.p[k][i])}) + '<br>' +
      fmt(T.count, {n: whole.format(C.k[k][i])}) + (C.t[k][i] ? ' · ' + T.trends[C.t[k][i]] : '') +
      (b > 0 && C.k[k][i] === 0 ? '<br><small class="mmm-borrowed">' + T.neighbours +
        '</small>' : '');
  }
  function popup(i, k) {
    var parts = [];
    if (k >= 0) parts.push(gi(i, k));
    if (C.n[i]) parts.push(why(i));
    parts.push('<small>' + fmt(T.cell, {id: C.id[i]}) + '</small>');
    return '<div class="mmm-popup">' + parts.join('<hr>') + '</div>';
  }
  function cell(i, style) {
    var c = C.c[i];
    var p = L.polygon([[c[0], c[1]], [c[2], c[3]], [c[4], c[5]], [c[6], c[7]]],
      L.extend({renderer: renderer, pane: 'mmmCells'}, style));
    p.mmmI = i;
    return p;
  }

  // Multi-phenomenon layer: cells hot for >= 1 phenomenon, the most phenomena drawn last (on top).
  var order = [], byId = {};
  for (var i = 0; i < C.n.length; i++) if (C.n[i] > 0) order.push(i);
  order.sort(function (a, b) { return C.n[a] - C.n[b] || a - b; });
  var multi = L.featureGroup(order.map(function (i) {
    var n = C.n[i], on = n >= D.minHot;
    var c = cell(i, {fillColor: D.multiColours[Math.min(n, D.multiColours.length) - 1],
      fillOpacity: on ? 0.85 : 0.55, color: on ? '#2b0010' : '#b07a00', weight: on ? 1.2 : 0.4,
      opacity: on ? 0.9 : 0.5});
    byId[C.id[i]] = c;
    return c;
  }));
  multi.bindPopup(function (l) { return popup(l.mmmI, -1); }, {maxWidth: 460});
  multi.bindTooltip(function (l) { return hotText(C.n[l.mmmI]); },
    {sticky: true, className: 'mmm-label'});
  multi.mmmLegend = D.legends.multi;

  // One Gi* layer per phenomenon: hot and cold classes, built when first shown.
  var gi_ = D.labels.map(function (label, k) {
    var group = L.featureGroup();
    group.mmmLegend = D.legends.gi[k];
    group.once('add', function () {
      for (var i = 0; i < C.n.length; i++) {
        var b = C.b[k][i];
        if (b) group.addLayer(cell(i, {fillColor: D.giColours[b], fillOpacity: 0.8,
          color: '#ffffff', weight: 0.3, opacity: 0.6}));
      }
    });
    group.bindPopup(function (l) { return popup(l.mmmI, k); }, {maxWidth: 460});
    group.bindTooltip(function (l) { return label + ': z = ' + two.format(C.z[k][l.mmmI]); },
      {sticky: true, className: 'mmm-label'});
    return group;
  });

  var candidateLayer = L.geoJSON(D.candidates, {pane: 'mmmCandidates',
    style: {color: '#111', weight: S.candidateWeight, dashArray: '8 5', fill: false},
    onEachFeature: function (f, l) {
      l.bindPopup(f.properties.popup, {maxWidth: 460});
      l.bindTooltip(f.properties.name, {sticky: true, className: 'mmm-label'});
    }});
  var perimeterLayer = L.geoJSON(D.perimeters, {pane: 'mmmPerimeters', interactive: false,
    style: {color: '#124e8c', weight: S.perimeterWeight, fill: false}});
  // Names just above each perimeter, so they never hide the cells inside it; where two would
  // cover each other, the larger perimeter keeps its name.
  perimeterLayer.eachLayer(function (l) {
    var b = l.getBounds(), label = L.tooltip({permanent: true, direction: 'top',
      className: 'mmm-label mmm-plabel', opacity: 0.9}).setLatLng([b.getNorth(), b.getCenter().lng])
      .setContent(l.feature.properties.name);
    label.mmmRank = (b.getNorth() - b.getSouth()) * (b.getEast() - b.getWest());
    perimeterLayer.addLayer(label);
  });
  MmmBackdrop.declutter(map, perimeterLayer);
  var legend = MmmBackdrop.legend(map, 'bottomleft');
  function showLegend(html) { legend.set(html + D.legends.fixed); }
  showLegend(multi.mmmLegend);
  map.on('baselayerchange', function (e) { if (e.layer.mmmLegend) showLegend(e.layer.mmmLegend); });
  var bases = [multi].concat(gi_);

  return {
    map: map, multi: multi, gi: gi_, candidateLayer: candidateLayer, perimeterLayer: perimeterLayer,
    // The KDE image overlays (made by folium) and their legends: [[layer, legend html], …].
    rasters: function (list) {
      list.forEach(function (r) { r[0].mmmLegend = r[1]; bases.push(r[0]); });
    },
    // Back to the whole zone.
    home: function () { map.fitBounds(zone.getBounds(), {padding: [10, 10], animate: false}); },
    // Show the multi-phenomenon layer, centre cell ``id`` and open its popup (page tables).
    show: function (id) {
      var c = byId[id];
      if (!c) return false;
      if (!map.hasLayer(multi)) {
        bases.forEach(function (b) { if (map.hasLayer(b)) map.removeLayer(b); });
        map.addLayer(multi);
      }
      map.getContainer().scrollIntoView({block: 'start'});
      map.setView(c.getCenter(), Math.max(map.getZoom(), 15), {animate: false});
      c.fire('click', {latlng: c.getCenter()}, true);
      return true;
    }
  };
})(__MAP__, __DATA__);
window.mmmHotspots = __NS__;
