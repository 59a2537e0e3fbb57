// MMM Planner: what lies under every map (used by mmm/present/maps/backdrop.py, once per page).
// MmmBackdrop.add(map, B) draws the optional raster basemap, the streets (vector tiles of
// mmm/present/maps/streets.py, fetched from the app or carried by the page) with their names
// along the lines, and the street search; declutter() hides the perimeter labels that would
// cover one another; legend() makes the legend box (a narrow map folds it: webmap/static/app.js).
window.MmmBackdrop = window.MmmBackdrop || (function () {
  'use strict';
  var EXTENT = 1024;

  function key(c) { return c.z + '/' + c.x + '/' + c.y; }

  // -- the raster basemap: tiles from the app (or another tile server), or carried as data URLs.
  function basemap(map, B) {
    if (!B.tiles && !B.images) return null;
    var options = {maxZoom: B.maxZoom, attribution: B.attribution || '',
      minNativeZoom: B.minNative, maxNativeZoom: B.maxNative, pane: 'tilePane'};
    if (B.tiles) return L.tileLayer(B.tiles, options).addTo(map);
    var blank = 'data:image/gif;base64,R0lGODlhAQABAAAAACH5BAEKAAEALAAAAAABAAEAAAICTAEAOw==';
    var Carried = L.TileLayer.extend({getTileUrl: function (c) {
      return B.images[key(c)] || blank;
    }});
    return new Carried('', options).addTo(map);
  }

  // -- the streets: one canvas per tile; the names over the whole view ---------------------
  function width(z) { return z <= 13 ? 0.8 : z <= 15 ? 1.2 : z === 16 ? 2 : z === 17 ? 3 : 4; }

  function clip(x0, y0, x1, y1, box) {  // Liang-Barsky: the part of an edge inside the box
    var t0 = 0, t1 = 1, dx = x1 - x0, dy = y1 - y0, p = [-dx, dx, -dy, dy];
    var q = [x0 - box[0], box[2] - x0, y0 - box[1], box[3] - y0];
    for (var i = 0; i < 4; i++) {
      if (p[i] === 0) { if (q[i] < 0) return null; continue; }
      var t = q[i] / p[i];
      if (p[i] < 0) { if (t > t1) return null; if (t > t0) t0 = t; }
      else { if (t < t0) return null; if (t < t1) t1 = t; }
    }
    return [x0 + t0 * dx, y0 + t0 * dy, x0 + t1 * dx, y0 + t1 * dy];
  }

  function paths(data) {  // the tile's lines as [name, [x, y, x, y, …]] in the tile's pixels
    return data.l.map(function (line) {
      var pts = [], x = 0, y = 0;
      for (var i = 1; i < line.length; i += 2) {
        x = i === 1 ? line[i] : x + line[i];
        y = i === 1 ? line[i + 1] : y + line[i + 1];
        pts.push(x * 256 / EXTENT, y * 256 / EXTENT);
      }
      return [line[0], pts];
    });
  }

  function drawLines(tile, lines, z) {
    var ratio = window.devicePixelRatio || 1, canvas = L.DomUtil.create('canvas', '', tile);
    canvas.width = canvas.height = 256 * ratio;
    var ctx = canvas.getContext('2d'), w = width(z);
    ctx.scale(ratio, ratio);
    ctx.lineCap = ctx.lineJoin = 'round';
    [['rgba(255,255,255,0.6)', w + 1.5], ['#7b8490', w]].forEach(function (pen) {
      ctx.strokeStyle = pen[0];
      ctx.lineWidth = pen[1];
      ctx.beginPath();
      lines.forEach(function (l) {
        var p = l[1];
        ctx.moveTo(p[0], p[1]);
        for (var i = 2; i < p.length; i += 2) ctx.lineTo(p[i], p[i + 1]);
      });
      ctx.stroke();
    });
  }

  function overlaps(a, list) {  // boxes [left, top, right, bottom]
    for (var i = 0; i < list.length; i++) {
      var b = list[i];
      if (a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]) return true;
    }
    return false;
  }

  // Turned label boxes {x, y, w, h (half sizes), a (angle)}: two overlap unless one of their
  // four axes separates them (the separating axis theorem).
  function collide(p, q) {
    return [p.a, p.a + Math.PI / 2, q.a, q.a + Math.PI / 2].every(function (t) {
      var c = Math.cos(t), s = Math.sin(t), d = Math.abs((q.x - p.x) * c + (q.y - p.y) * s);
      function reach(r) {
        return r.w * Math.abs(Math.cos(r.a - t)) + r.h * Math.abs(Math.sin(r.a - t));
      }
      return d < reach(p) + reach(q);
    });
  }

  // A street is stored as segments between crossings, often shorter than its name: the
  // segments of one name that meet end to end and keep their direction (within 25°) are
  // joined into straight runs first, over every tile of the view.
  function runs(edges) {
    var ends = {}, used = new Array(edges.length), out = [];
    function at(x, y) { return Math.round(x) + ',' + Math.round(y); }
    edges.forEach(function (e, i) {
      [at(e[0], e[1]), at(e[2], e[3])].forEach(function (k) { (ends[k] = ends[k] || []).push(i); });
    });
    function grow(pts, forward, heading) {
      for (;;) {
        var x = forward ? pts[pts.length - 2] : pts[0], y = forward ? pts[pts.length - 1] : pts[1];
        var next = null;
        (ends[at(x, y)] || []).some(function (i) {
          if (used[i]) return false;
          var e = edges[i], flip = at(e[0], e[1]) !== at(x, y);
          var a = flip ? [e[2], e[3], e[0], e[1]] : e;
          var h = Math.atan2(a[3] - a[1], a[2] - a[0]) + (forward ? 0 : Math.PI);
          var d = Math.abs(Math.atan2(Math.sin(h - heading), Math.cos(h - heading)));
          if (d > 0.44) return false;
          next = [i, a];
          return true;
        });
        if (!next) return;
        used[next[0]] = true;
        if (forward) pts.push(next[1][2], next[1][3]); else pts.unshift(next[1][2], next[1][3]);
      }
    }
    edges.forEach(function (e, i) {
      if (used[i]) return;
      used[i] = true;
      var pts = [e[0], e[1], e[2], e[3]], h = Math.atan2(e[3] - e[1], e[2] - e[0]);
      grow(pts, true, h);
      grow(pts, false, h);
      out.push(pts);
    });
    return out;
  }

  // Each name once in the view, on its longest straight run, turned along it (never upside
  // down), never over another name, never cut by the map's edge.
  function placeNames(map, layer, pane, o) {
    pane.innerHTML = '';
    var z = map.getZoom();
    if (z < o.labelZoom || !map.hasLayer(layer)) return;
    var origin = map.getPixelOrigin(), view = map.getPixelBounds();
    var box = [view.min.x + 6, view.min.y + 6, view.max.x - 6, view.max.y - 6];
    var byName = {}, seen = {};
    Object.keys(layer.mmmData).forEach(function (k) {
      var t = layer.mmmData[k];
      if (t.z !== z) return;
      t.lines.forEach(function (l) {
        if (l[0] < 0) return;
        var name = t.names[l[0]], p = l[1];
        for (var i = 2; i < p.length; i += 2) {
          var e = [t.x + p[i - 2], t.y + p[i - 1], t.x + p[i], t.y + p[i + 1]];
          var key = name + e.map(Math.round).join(',');
          if (seen[key]) continue;  // a segment crossing several tiles comes with each
          seen[key] = true;
          (byName[name] = byName[name] || []).push(e);
        }
      });
    });
    var font = (z >= 17 ? 12 : 11) + 'px system-ui, sans-serif', ctx = o.measure;
    ctx.font = font;
    var candidates = [];
    Object.keys(byName).forEach(function (name) {
      runs(byName[name]).forEach(function (pts) {
        var c = clip(pts[0], pts[1], pts[pts.length - 2], pts[pts.length - 1], box);
        if (c) candidates.push([name, c, Math.hypot(c[2] - c[0], c[3] - c[1])]);
      });
    });
    var prefer = map.mmmStreet;  // the street just searched for: named first
    candidates.sort(function (a, b) { return (b[0] === prefer) - (a[0] === prefer) || b[2] - a[2]; });
    var done = {}, placed = [], widths = {}, shown = 0;
    candidates.some(function (cand) {
      var name = cand[0], e = cand[1];
      if (done[name]) return false;
      var w = widths[name] || (widths[name] = ctx.measureText(name).width);
      if (cand[2] < w + 16) return false;
      var a = Math.atan2(e[3] - e[1], e[2] - e[0]);
      if (a > Math.PI / 2) a -= Math.PI; else if (a < -Math.PI / 2) a += Math.PI;
      var hw = Math.abs(Math.cos(a)) * (w / 2 + 2) + Math.abs(Math.sin(a)) * 7;
      var hh = Math.abs(Math.sin(a)) * (w / 2 + 2) + Math.abs(Math.cos(a)) * 7;
      var room = (cand[2] - w - 8) / cand[2];  // how far from the middle the name may move
      [0.5, 0.3, 0.7, 0.15, 0.85].some(function (f) {
        f = 0.5 + (f - 0.5) * room;
        var cx = e[0] + f * (e[2] - e[0]), cy = e[1] + f * (e[3] - e[1]);
        var r = {x: cx, y: cy, w: w / 2 + 3, h: 7, a: a};
        if (cx - hw < box[0] || cy - hh < box[1] || cx + hw > box[2] || cy + hh > box[3]) return false;
        if (placed.some(function (q) { return collide(r, q); })) return false;
        placed.push(r);
        done[name] = true;
        var span = L.DomUtil.create('span', 'mmm-street-label', pane);
        span.textContent = name;
        span.style.font = font;
        span.style.left = (cx - origin.x) + 'px';
        span.style.top = (cy - origin.y) + 'px';
        span.style.transform = 'translate(-50%, -50%) rotate(' + a.toFixed(3) + 'rad)';
        return true;
      });
      return done[name] && ++shown >= 200;  // enough for any screen
    });
  }

  var Streets = L.GridLayer.extend({
    createTile: function (coords, done) {
      var tile = L.DomUtil.create('div', 'mmm-street-tile'), o = this.options, self = this;
      function draw(data) {
        if (data && data.l.length) {
          var lines = paths(data);
          drawLines(tile, lines, coords.z);
          self.mmmData[key(coords)] = {z: coords.z, x: coords.x * 256, y: coords.y * 256,
            names: data.n, lines: lines};
        }
        done(null, tile);
      }
      if (o.carried || coords.z < o.lowest) {  // no tiles below a town's scale
        setTimeout(function () { draw(o.carried && o.carried[key(coords)]); }, 0);
      }
      else {
        fetch(o.url.replace('{z}', coords.z).replace('{x}', coords.x).replace('{y}', coords.y),
          {credentials: 'same-origin'})
          .then(function (r) { return r.ok ? r.json() : null; })
          .then(draw, function () { done(null, tile); });
      }
      return tile;
    }
  });

  function streets(map, B) {
    if (!B.streets && !B.streetTiles) return null;
    [['mmmStreets', 420], ['mmmStreetNames', 440]].forEach(function (p) {
      var pane = map.createPane(p[0]);
      pane.style.zIndex = p[1];  // over the choropleth fills, under the labels and markers
      pane.style.pointerEvents = 'none';
    });
    // No minZoom on the layer: Leaflet would hold the whole map to it.
    var layer = new Streets({pane: 'mmmStreets', url: B.streets, carried: B.streetTiles,
      lowest: B.minZoom, keepBuffer: 1, updateWhenIdle: true, updateWhenZooming: false,
      className: 'mmm-streets'});  // new tiles once a drag or zoom ends: the hand goes first
    var names = map.getPane('mmmStreetNames'), timer = null;
    var o = {labelZoom: B.labelZoom, measure: document.createElement('canvas').getContext('2d')};
    layer.mmmData = {};
    function later() {
      clearTimeout(timer);
      timer = setTimeout(function () { placeNames(map, layer, names, o); }, 60);
    }
    layer.on('tileunload', function (e) { delete layer.mmmData[key(e.coords)]; });
    layer.on('load tileload remove add', later);
    map.on('moveend zoomend', later);
    map.on('zoomstart', function () { names.innerHTML = ''; });
    return layer.addTo(map);
  }

  // -- street search: type a name, pick a street, the map zooms to it ------------------------
  function searchKey(s) {
    return s.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
      .replace(/[^a-z0-9]+/g, ' ').trim();
  }

  function search(map, B) {
    if (!B.search && !B.places) return null;
    var T = B.text, control = L.control({position: 'topleft'}), mark = L.featureGroup();
    var timer = null, asked = 0, found = [], active = -1, list, input, note;
    function go(place) {
      mark.clearLayers();
      if (place.lines) {
        mark.addLayer(L.geoJSON(place.lines, {interactive: false,
          style: {color: '#c2185b', weight: 7, opacity: 0.55}}));
      }
      mark.addTo(map);
      map.mmmStreet = place.name.replace(/ \(\d+\/\d+\)$/, '');  // its name goes first
      map.fitBounds(place.bounds, {maxZoom: 17, padding: [40, 40], animate: false});
      input.value = place.name;
      show([]);
    }
    function show(places, empty) {
      found = places;
      active = -1;
      list.innerHTML = '';
      places.forEach(function (p, i) {
        var item = L.DomUtil.create('li', '', list), button = L.DomUtil.create('button', '', item);
        button.type = 'button';
        button.textContent = p.name;
        button.setAttribute('role', 'option');
        L.DomEvent.on(button, 'click', function () { go(found[i]); });
      });
      note.textContent = empty ? T.none : '';
    }
    function local(q) {
      var tight = q.replace(/ /g, '');
      return B.places.filter(function (p) {
        return p.key.indexOf(q) >= 0 || p.key.replace(/ /g, '').indexOf(tight) >= 0;
      }).sort(function (a, b) {
        return (a.key.indexOf(q) !== 0) - (b.key.indexOf(q) !== 0) || a.name.length - b.name.length;
      }).slice(0, 8);
    }
    function ask() {
      var q = searchKey(input.value), n = ++asked;
      if (q.length < 2) { show([]); return; }
      if (B.places) { var hits = local(q); show(hits, !hits.length); return; }
      fetch(B.search + '?q=' + encodeURIComponent(input.value), {credentials: 'same-origin'})
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (places) { if (n === asked) show(places, !places.length); },
          function () { if (n === asked) { show([]); note.textContent = T.failed; } });
    }
    function pick(step) {
      var items = list.querySelectorAll('button');
      if (!items.length) return;
      active = (active + step + items.length) % items.length;
      items[active].focus();
    }
    control.onAdd = function () {
      var div = L.DomUtil.create('div', 'mmm-search leaflet-bar');
      input = L.DomUtil.create('input', '', div);
      input.type = 'search';
      input.placeholder = T.search;
      input.setAttribute('aria-label', T.search);
      input.autocomplete = 'off';
      list = L.DomUtil.create('ul', '', div);
      list.setAttribute('role', 'listbox');
      list.setAttribute('aria-label', T.search);
      note = L.DomUtil.create('div', 'mmm-search-note', div);
      note.setAttribute('aria-live', 'polite');
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      L.DomEvent.on(input, 'input', function () { clearTimeout(timer); timer = setTimeout(ask, 150); });
      L.DomEvent.on(div, 'keydown', function (e) {
        if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
          L.DomEvent.preventDefault(e);
          pick(e.key === 'ArrowDown' ? 1 : -1);
        } else if (e.key === 'Enter' && e.target === input && found.length) {
          L.DomEvent.preventDefault(e);
          go(found[0]);
        } else if (e.key === 'Escape') {
          input.value = '';
          mark.clearLayers();
          show([]);
        }
      });
      return div;
    };
    return control.addTo(map);
  }

  // -- labels that do not pile up -----------------------------------------------------------
  // Show the permanent tooltips of ``layer``'s shapes, most important first (``mmmRank``,
  // higher wins), and hide each one that would cover a label already shown.
  function declutter(map, layer) {
    var queued = false;
    function run() {
      queued = false;
      if (!map.hasLayer(layer)) return;
      var items = [];
      layer.eachLayer(function (l) {  // a shape's bound tooltip, or a tooltip of its own
        var t = l instanceof L.Tooltip ? l : l.getTooltip && l.getTooltip();
        if (t && t.getElement()) items.push([l.mmmRank || 0, t.getElement()]);
      });
      items.sort(function (a, b) { return b[0] - a[0]; });
      items.forEach(function (it) { it[1].style.visibility = ''; });
      var boxes = items.map(function (it) { return it[1].getBoundingClientRect(); }), kept = [];
      items.forEach(function (it, i) {
        var r = boxes[i], box = [r.left - 2, r.top - 2, r.right + 2, r.bottom + 2];
        if (overlaps(box, kept)) it[1].style.visibility = 'hidden'; else kept.push(box);
      });
    }
    function later() { if (!queued) { queued = true; requestAnimationFrame(run); } }
    map.on('zoomend moveend resize overlayadd baselayerchange', later);
    layer.on('add', later);
    later();
    return later;
  }

  // -- the legend box: one section (.mmm-scale) per scale shown --------------------------------
  function legend(map, position) {
    var control = L.control({position: position || 'bottomright'}), box;
    control.onAdd = function () {
      box = L.DomUtil.create('div', 'mmm-legend');
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    };
    control.addTo(map);
    return {control: control, set: function (html) { box.innerHTML = html; }};
  }

  return {
    add: function (map, B) {
      return {basemap: basemap(map, B), streets: streets(map, B), search: search(map, B)};
    },
    declutter: declutter,
    legend: legend
  };
})();
