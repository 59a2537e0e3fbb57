// MMM Planner's perimeter editor: draw and edit one perimeter on a Leaflet map with
// Leaflet-Geoman (served by the app itself), then save it through the JSON API
// (POST /api/perimeters, PUT /api/perimeters/<id>, header X-CSRFToken). The server checks the
// geometry and the version; this script shows what it answers: the repairs, the overlaps, the
// counts, a refusal with its point on the map, or a conflict with "reload".
(function () {
  'use strict';
  var D = JSON.parse(document.getElementById('editor-data').textContent);
  var T = D.text;
  var csrf = document.querySelector('meta[name="csrf-token"]').content;
  var form = document.getElementById('perimeter-form');
  var message = document.getElementById('editor-message');
  var result = document.getElementById('editor-result');

  var map = L.map('editor-map', {maxZoom: D.backdrop.maxZoom});
  var B = D.backdrop, under = MmmBackdrop.add(map, B);  // basemap, streets and street search
  if (under.basemap) map.attributionControl.setPrefix(false);
  L.control.scale({imperial: false}).addTo(map);
  var zone = L.geoJSON(D.zone, {pmIgnore: true, interactive: false, style: {color: '#1d2733',
    weight: 2, dashArray: '8 5', fillColor: '#fff', fillOpacity: under.basemap ? 0.35 : 0.9}})
    .addTo(map);
  var othersStyle = function (f) {
    return {color: '#5b6877', weight: 1.5, fillColor: '#5b6877', fillOpacity: 0.08,
      dashArray: f.properties.status === 'proposed' ? '4 4' : null};
  };
  var others = L.geoJSON(D.others, {pmIgnore: true, style: othersStyle,
    onEachFeature: function (f, l) {  // names always written; never two over each other
      l.bindTooltip(f.properties.label, {permanent: true, direction: 'center',
        className: 'mmm-label mmm-plabel', opacity: 0.9});
      var b = l.getBounds();
      l.mmmRank = (b.getNorth() - b.getSouth()) * (b.getEast() - b.getWest());
    }
  }).addTo(map);
  MmmBackdrop.declutter(map, others);
  var shapeStyle = {color: '#124e8c', weight: 3, fillColor: '#124e8c', fillOpacity: 0.2};
  var shape = L.featureGroup().addTo(map);  // the parts of the perimeter being edited
  var problem = L.layerGroup().addTo(map);  // where the server found a problem

  function setParts(geometry) {
    shape.eachLayer(function (l) { map.removeLayer(l); });
    shape.clearLayers();
    if (!geometry) return;
    var polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
    polygons.forEach(function (rings) {
      var latlngs = rings.map(function (ring) {
        return ring.slice(0, -1).map(function (c) { return [c[1], c[0]]; });
      });
      shape.addLayer(L.polygon(latlngs, shapeStyle));
    });
  }

  function geometry() {
    var polygons = [];
    shape.eachLayer(function (l) {
      if (!map.hasLayer(l)) return;
      var g = l.toGeoJSON(6).geometry;
      if (g.type === 'Polygon') polygons.push(g.coordinates);
      else if (g.type === 'MultiPolygon') polygons = polygons.concat(g.coordinates);
    });
    if (!polygons.length) return null;
    return polygons.length === 1 ? {type: 'Polygon', coordinates: polygons[0]}
      : {type: 'MultiPolygon', coordinates: polygons};
  }

  setParts(D.perimeter && D.perimeter.geometry);
  if (D.earlier) {
    L.geoJSON(D.earlier, {pmIgnore: true, interactive: false, style: {color: '#b2182b',
      weight: 2, dashArray: '6 4', fill: false}}).addTo(map);
  }
  map.fitBounds(shape.getLayers().length ? shape.getBounds() : zone.getBounds(),
    {padding: [20, 20], animate: false});

  map.pm.setLang(document.documentElement.lang || 'nl');
  map.pm.setGlobalOptions({allowSelfIntersection: true, pathOptions: shapeStyle});
  map.pm.addControls({position: 'topleft', drawMarker: false, drawCircleMarker: false,
    drawPolyline: false, drawCircle: false, drawText: false, rotateMode: false});
  var dirty = false;  // the drawing differs from the saved version
  map.on('pm:create', function (e) { shape.addLayer(e.layer); dirty = true; });
  map.on('pm:remove', function (e) { shape.removeLayer(e.layer); dirty = true; });
  map.on('pm:cut', function (e) {
    shape.removeLayer(e.originalLayer);
    shape.addLayer(e.layer);
    dirty = true;
  });
  shape.on('pm:edit pm:dragend', function () { dirty = true; });

  function say(text, kind) {
    message.textContent = text;
    message.className = 'flash ' + (kind || 'info');
    message.hidden = !text;
  }

  function showProblem(point, reason) {
    problem.clearLayers();
    if (!point) return;
    var at = [point[1], point[0]];
    L.circleMarker(at, {radius: 10, color: '#b2182b', weight: 3, fillOpacity: 0.3,
      className: 'mmm-problem'}).bindTooltip(reason, {permanent: true, direction: 'top'})
      .addTo(problem);
    map.panTo(at, {animate: false});
  }

  function cell(row, text, tag) {
    var td = document.createElement(tag || 'td');
    td.textContent = text;
    row.appendChild(td);
    return td;
  }

  function showResult(saved) {
    result.hidden = false;
    var p = saved.properties;
    document.getElementById('result-title').textContent =
      T.saved.replace('%(name)s', p.name).replace('%(version)s', p.version);
    var link = document.getElementById('result-link');
    link.href = D.pageUrl.replace('/0', '/' + p.id);
    var notes = document.getElementById('result-notes');
    notes.innerHTML = '';
    saved.notes.forEach(function (n) { cell(notes, n, 'li'); });
    var overlaps = document.getElementById('result-overlaps');
    overlaps.innerHTML = '';
    var ids = {};
    saved.overlaps.forEach(function (o) {
      ids[o.id] = true;
      cell(overlaps, T.overlap.replace('%(name)s', o.name)
        .replace('%(area)s', Math.round(o.shared_m2).toLocaleString(document.documentElement.lang)), 'li');
    });
    others.eachLayer(function (l) {
      var hit = ids[l.feature.properties.id];
      l.setStyle(hit ? {color: '#e08214', weight: 3, fillColor: '#e08214', fillOpacity: 0.25}
        : othersStyle(l.feature));
    });
    document.getElementById('result-period').textContent =
      T.period.replace('%(first)s', saved.counts.from).replace('%(last)s', saved.counts.to);
    var body = document.getElementById('result-counts');
    body.innerHTML = '';
    saved.counts.rows.forEach(function (r) {
      var row = document.createElement('tr');
      cell(row, r.label, 'th');
      cell(row, r.count).className = 'num';
      body.appendChild(row);
    });
    if (!saved.counts.rows.length) cell(body.appendChild(document.createElement('tr')), T.none);
  }

  // While the server saves: the buttons are disabled and busy (a spinner); returns the undo.
  function working(buttons) {
    buttons.forEach(function (b) { b.disabled = true; b.setAttribute('aria-busy', 'true'); });
    return function () {
      buttons.forEach(function (b) { b.disabled = false; b.removeAttribute('aria-busy'); });
    };
  }

  function send(status) {
    var f = new FormData(form);
    var body = {type: 'Feature', geometry: geometry(), properties: {
      name: f.get('name'), description: f.get('description'), status: status || f.get('status'),
      start_date: f.get('start_date') || null}};
    if (!body.geometry) { say(T.draw, 'error'); return Promise.resolve(); }
    if (D.perimeter) body.properties.version = D.perimeter.properties.version;
    var url = D.perimeter ? D.updateUrl.replace('/0', '/' + D.perimeter.properties.id) : D.createUrl;
    say(T.saving);
    var done = working([document.getElementById('save'), document.getElementById('archive')]);
    return fetch(url, {method: D.perimeter ? 'PUT' : 'POST', credentials: 'same-origin',
      headers: {'Content-Type': 'application/json', 'X-CSRFToken': csrf},
      body: JSON.stringify(body)})
      .then(function (r) { return r.json().then(function (j) { return [r.status, j]; }); })
      .then(function (answer) {
        var code = answer[0], j = answer[1];
        problem.clearLayers();
        if (code === 200 || code === 201) {
          D.perimeter = j;
          setParts(j.geometry);
          dirty = false;
          showSplit();
          form.elements.status.value = j.properties.status;
          history.replaceState(null, '', D.editUrl.replace('/0/', '/' + j.properties.id + '/'));
          say('');
          showResult(j);
          document.getElementById('archive').hidden = !D.mayArchive ||
            j.properties.status === 'archived';
        } else if (code === 409) {
          say(j.reason, 'error');
          var reload = document.createElement('a');
          reload.href = location.href;
          reload.textContent = ' ' + T.reload;
          message.appendChild(reload);
        } else {
          say((j.reason || j.error || T.failed), 'error');
          showProblem(j.point, j.reason);
        }
      })
      .catch(function () { say(T.failed, 'error'); })
      .then(function () { done(); });
  }

  // Split a part off: the part clicked next becomes a new perimeter (server side, one transaction).
  var splitBox = document.getElementById('split'), splitting = false;
  function showSplit() {
    splitBox.hidden = !(D.perimeter && D.perimeter.geometry.type === 'MultiPolygon' && D.mayEdit);
  }
  document.getElementById('split-start').addEventListener('click', function () {
    if (dirty) { say(T.saveFirst, 'error'); return; }
    if (!document.getElementById('split-name').value.trim()) { say(T.splitName, 'error'); return; }
    splitting = true;
    say(T.clickPart);
  });
  shape.on('click', function (e) {
    if (!splitting) return;
    splitting = false;
    var p = D.perimeter.properties;
    var body = {version: p.version, part: shape.getLayers().indexOf(e.layer),
      name: document.getElementById('split-name').value.trim()};
    var done = working([document.getElementById('split-start')]);
    fetch(D.splitUrl.replace('/0/', '/' + p.id + '/'), {method: 'POST', credentials: 'same-origin',
      headers: {'Content-Type': 'application/json', 'X-CSRFToken': csrf},
      body: JSON.stringify(body)})
      .then(function (r) { return r.json().then(function (j) { return [r.status, j]; }); })
      .then(function (answer) {
        if (answer[0] !== 201) { say(answer[1].reason || T.failed, 'error'); return; }
        D.perimeter = answer[1].kept;
        setParts(D.perimeter.geometry);
        dirty = false;
        showSplit();
        say(T.splitDone.replace('%(name)s', answer[1].new.properties.name));
        showResult(answer[1].new);
      })
      .catch(function () { say(T.failed, 'error'); })
      .then(function () { done(); });
  });
  showSplit();

  form.addEventListener('submit', function (e) { e.preventDefault(); send(); });
  document.getElementById('archive').addEventListener('click', function () {
    if (window.confirm(T.confirmArchive)) send('archived');
  });
})();
