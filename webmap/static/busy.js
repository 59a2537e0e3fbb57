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
//
// Long work on the server runs as a job (webmap/jobs): these requests carry the header
// X-MMM-Job, and a server that makes a job of them answers 202 with the job's status address.
// The page then asks for the status every 500 ms and shows its step and a <progress> bar in the
// status line (and on the map's veil), then goes to the page the job made, or downloads its
// file, or says why it failed and gives the button back. A form with data-job (the hotspots'
// GET form) is sent there as a POST with the page's CSRF token; without this script the form
// loads its page as before, and the downloads come as the answer to the form.
(function () {
  'use strict';
  var data = document.getElementById('ui-text');
  var T = data ? JSON.parse(data.textContent) : {};
  var DOWNLOADS = 'form[data-pdf], form[data-download], form.exports, form.dossiers';
  var SHOW_AFTER = 300, SLOW_AFTER = 4000, GIVE_UP_AFTER = 60000, POLL_EVERY = 500;  // ms
  var JOB = {'X-MMM-Job': '1'};

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

  // A job's step in the status line: its words, and a bar of the steps done (updated in place,
  // so that a screen reader hears a new step once, not every poll).
  function sayStep(form, status) {
    var note = noteOf(form);
    var text = note.querySelector('.busy-step');
    if (!text) {
      note.textContent = '';
      text = document.createElement('span');
      text.className = 'busy-step';
      note.appendChild(text);
    }
    if (text.textContent !== status.step) text.textContent = status.step;
    var bar = note.querySelector('progress');
    if (!bar) {
      bar = document.createElement('progress');
      note.appendChild(bar);
    }
    bar.setAttribute('aria-label', status.label || '');
    if (status.total > 0) {
      bar.max = status.total;
      bar.value = Math.min(status.done, status.total);
    } else {
      bar.removeAttribute('value');  // queued: not started yet
    }
    note.classList.remove('error');
    var map = mapOf(form);
    if (map && map.classList.contains('busy')) map.dataset.busy = status.step;
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
    var slow = setTimeout(function () {  // a job says its own steps instead
      if (!noteOf(form).querySelector('progress')) say(form, waiting + ' ' + (T.slow || ''));
    }, SLOW_AFTER);
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

  // Asks for the job's status every POLL_EVERY ms until it is done (resolves with its status)
  // or failed (resolves with null, the reason said).
  function follow(form, address, failed) {
    return new Promise(function (resolve) {
      function ask() {
        fetch(address, {credentials: 'same-origin', headers: {Accept: 'application/json'}})
          .then(function (response) {
            return response.json().then(function (status) {
              if (!response.ok) {
                say(form, status.reason || failed, true);
                return resolve(null);
              }
              if (status.state === 'failed') {
                say(form, status.message || failed, true);
                return resolve(null);
              }
              sayStep(form, status);
              if (status.state === 'done') return resolve(status);
              setTimeout(ask, POLL_EVERY);
              return undefined;
            });
          })
          .catch(function () { say(form, failed, true); resolve(null); });
      }
      ask();
    });
  }

  // What a finished job made: its page (the busy state stays until it comes) or its file.
  function arrive(form, status) {
    if (!status) return true;
    if (status.url) {
      window.location.assign(status.url);
      return false;
    }
    if (status.download) {
      var link = document.createElement('a');
      link.href = status.download;
      link.download = status.filename || '';
      document.body.appendChild(link);
      link.click();
      link.remove();
    }
    say(form, '');
    return true;
  }

  // The answer to a request that may have become a job: 202 → follow it. Resolves true when
  // the busy state may end; otherwise (false) the answer was handled some other way.
  function jobOf(form, response, failed) {
    if (response.status !== 202) return null;
    return response.json().then(function (started) {
      return follow(form, started.status, failed).then(function (status) {
        return arrive(form, status);
      });
    });
  }

  // The hotspots: the form's query sent to its job address (data-job), then the page it made.
  function compute(form, button) {
    var failed = form.dataset.failed || T.failed;
    var query = new URLSearchParams(new FormData(form, button || undefined)).toString();
    var done = start(form, button, true);
    var token = document.querySelector('meta[name=csrf-token]');
    var headers = {Accept: 'application/json', 'X-CSRFToken': token ? token.content : ''};
    fetch(form.dataset.job + '?' + query, {
      method: 'POST',
      credentials: 'same-origin',
      headers: Object.assign(headers, JOB)
    }).then(function (response) {
      var job = jobOf(form, response, failed);
      if (job) return job;
      return response.json().then(function (body) {
        say(form, body.reason || body.error || failed, true);
        return true;
      });
    }).catch(function () {
      say(form, failed, true);
      return true;
    }).then(function (over) { if (over !== false) done(); });
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
      headers: Object.assign({Accept: 'application/pdf, */*;q=0.8'}, JOB)
    }).then(function (response) {
      var job = jobOf(form, response, failed);
      if (job) return job;
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
    }).then(function (over) { if (over !== false) done(); });
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
    if (form.dataset.job && window.fetch && window.FormData && window.URLSearchParams) {
      event.preventDefault();
      compute(form, button);
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
