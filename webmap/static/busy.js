// Work in progress is visible. Every form that is sent shows it: its button turns busy and is
// disabled, a status line says that the work goes on, and a form that recomputes the map of its
// own page (the hotspots, the zone map) lays a "working" veil over that map. A form that leaves
// the page shows all this at once, in its submit event: while the next page is on its way the
// browser runs no more timers or animation frames in this one, but it still paints it. Forms
// that answer with a file (a PDF, a dossier, the exports: form[data-pdf], form[data-download],
// form.exports, form.dossiers) are sent with fetch: the status line comes after 300 ms (a quick
// file needs none), says later that it can take a few seconds, and then that the file has come,
// or why it did not (the server's reason). A file of its own, no inline script: the
// Content-Security-Policy allows only the app's own.
(function () {
  'use strict';
  var data = document.getElementById('ui-text');
  var T = data ? JSON.parse(data.textContent) : {};
  var DOWNLOADS = 'form[data-pdf], form[data-download], form.exports, form.dossiers';
  var SHOW_AFTER = 300, SLOW_AFTER = 4000, GIVE_UP_AFTER = 60000;  // ms

  function noteOf(form) {
    var note = form.querySelector('.busy-note');
    if (!note) {
      note = document.createElement('p');
      note.className = 'busy-note';
      note.setAttribute('role', 'status');
      note.setAttribute('aria-live', 'polite');
      form.appendChild(note);
    }
    return note;
  }

  function say(form, text, failed) {
    var note = noteOf(form);
    note.textContent = text || '';
    note.classList.toggle('error', !!failed);
  }

  // The map this form redraws: a GET form whose address is the page's own.
  function mapOf(form) {
    if ((form.method || 'get').toLowerCase() !== 'get') return null;
    if (new URL(form.action, location.href).pathname !== location.pathname) return null;
    return document.querySelector('.map-wrap');
  }

  // Marks the form busy (the status line at once, or after SHOW_AFTER); returns the undo.
  function start(form, button, atOnce) {
    var buttons = Array.prototype.filter.call(form.elements, function (e) {
      return e.type === 'submit' && !e.disabled;
    });
    var map = mapOf(form);
    var waiting = form.dataset.busy || form.dataset.waiting || T.working || '…';
    if (button && button.name) {  // a disabled button is not sent: its value goes on without it
      var carried = document.createElement('input');
      carried.type = 'hidden';
      carried.name = button.name;
      carried.value = button.value;
      form.appendChild(carried);
    }
    buttons.forEach(function (b) { b.disabled = true; });
    if (button) button.setAttribute('aria-busy', 'true');
    form.setAttribute('aria-busy', 'true');
    function show() {
      say(form, waiting);
      if (map) { map.dataset.busy = waiting; map.classList.add('busy'); }
    }
    if (atOnce) show();
    var shown = atOnce ? null : setTimeout(show, SHOW_AFTER);
    var slow = setTimeout(function () { say(form, waiting + ' ' + (T.slow || '')); }, SLOW_AFTER);
    return function done() {
      clearTimeout(shown);
      clearTimeout(slow);
      buttons.forEach(function (b) { b.disabled = false; });
      if (button) button.removeAttribute('aria-busy');
      form.removeAttribute('aria-busy');
      if (map) map.classList.remove('busy');
    };
  }

  function fileName(response) {
    var header = response.headers.get('Content-Disposition') || '';
    var match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(header);
    return match ? decodeURIComponent(match[1]) : 'download';
  }

  function save(blob, name) {
    var link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 60000);
  }

  // The reason an HTML error page gives (its heading and first paragraph), as one line.
  function reasonIn(html) {
    var page = new DOMParser().parseFromString(html, 'text/html');
    var parts = [page.querySelector('main h1'), page.querySelector('main h1 + p')];
    return parts.filter(function (e) { return e && e.textContent.trim(); })
      .map(function (e) { return e.textContent.trim(); }).join(': ');
  }

  function download(form, button) {
    var failed = form.dataset.failed || T.failed;
    var body = new FormData(form, button || undefined);  // before the button is disabled
    var done = start(form, button, false);
    // (formAction is the page's own address when the button has no formaction of its own)
    var url = button && button.hasAttribute('formaction') ? button.formAction : form.action;
    fetch(url, {
      method: 'POST',
      body: body,
      credentials: 'same-origin',
      headers: {Accept: 'application/pdf, */*;q=0.8'}
    }).then(function (response) {
      var type = response.headers.get('Content-Type') || '';
      var attached = /attachment/i.test(response.headers.get('Content-Disposition') || '');
      if (response.ok && (attached || type.indexOf('application/pdf') === 0)) {
        return response.blob().then(function (blob) {
          save(blob, fileName(response));
          say(form, '');
        });
      }
      if (type.indexOf('application/json') === 0) {
        return response.json().then(function (body) { say(form, body.reason || body.error || failed, true); });
      }
      if (response.ok && response.redirected) {  // the page with the reason at its top
        window.location.assign(response.url);
        return undefined;
      }
      return response.text().then(function (html) { say(form, reasonIn(html) || failed, true); });
    }).catch(function () {
      say(form, failed, true);
    }).then(done);
  }

  document.addEventListener('submit', function (event) {
    var form = event.target, button = event.submitter;
    if (event.defaultPrevented || !(form instanceof HTMLFormElement)) return;
    if (form.matches(DOWNLOADS) && window.fetch && window.FormData && window.URL) {
      event.preventDefault();
      download(form, button);
      return;
    }
    if (form.getAttribute('aria-busy') === 'true') {  // sent already: once is enough
      event.preventDefault();
      return;
    }
    var done = start(form, button, true);
    setTimeout(done, GIVE_UP_AFTER);  // the page never came (an answer that was a file?)
  });

  // Back to a page kept in the browser's memory: nothing is working any more.
  window.addEventListener('pageshow', function (event) {
    if (!event.persisted) return;
    Array.prototype.forEach.call(document.querySelectorAll('[aria-busy="true"]'), function (e) {
      e.removeAttribute('aria-busy');
    });
    Array.prototype.forEach.call(document.querySelectorAll('form [type=submit]'), function (b) {
      b.disabled = false;
    });
    Array.prototype.forEach.call(document.querySelectorAll('.busy'), function (e) {
      e.classList.remove('busy');
    });
    Array.prototype.forEach.call(document.querySelectorAll('.busy-note'), function (e) {
      e.textContent = '';
    });
  });
})();
