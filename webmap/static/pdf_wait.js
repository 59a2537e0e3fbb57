// PDF download that shows it is waiting. A form marked data-pdf is sent with fetch: its submit
// button gets a spinner and a status line says the PDF is being made (the server prints one
// PDF at a time, so a request may wait for others). The PDF arrives as a download; a refusal
// (the printer is busy: 503) is said in the status line. A file of its own, no inline script:
// the app's Content-Security-Policy allows only its own scripts. Without fetch the form is
// simply submitted.
(function () {
  function fileName(response) {
    var header = response.headers.get('Content-Disposition') || '';
    var match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(header);
    return match ? decodeURIComponent(match[1]) : 'report.pdf';
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

  function wire(form) {
    var button = form.querySelector('button[type=submit]');
    var status = document.createElement('p');
    status.className = 'pdf-status';
    status.setAttribute('role', 'status');
    status.setAttribute('aria-live', 'polite');
    form.appendChild(status);

    function busy(on) {
      button.disabled = on;
      button.setAttribute('aria-busy', on ? 'true' : 'false');
      form.classList.toggle('waiting', on);
    }

    function say(text, failed) {
      status.textContent = text;
      status.classList.toggle('error', !!failed);
    }

    form.addEventListener('submit', function (event) {
      if (!window.fetch || !window.FormData || !window.URL || !URL.createObjectURL) return;
      event.preventDefault();
      busy(true);
      say(form.dataset.waiting, false);
      fetch(form.action, {
        method: 'POST',
        body: new FormData(form),
        credentials: 'same-origin',
        headers: { Accept: 'application/pdf, application/json;q=0.9' }
      }).then(function (response) {
        var type = response.headers.get('Content-Type') || '';
        if (response.ok && type.indexOf('application/pdf') === 0) {
          return response.blob().then(function (blob) {
            save(blob, fileName(response));
            say('', false);
          });
        }
        if (type.indexOf('application/json') === 0) {
          return response.json().then(function (body) {
            say(body.reason || form.dataset.failed, true);
          });
        }
        if (response.redirected) {  // the page with the reason, as a message at its top
          window.location.assign(response.url);
          return undefined;
        }
        say(form.dataset.failed, true);
        return undefined;
      }).catch(function () {
        say(form.dataset.failed, true);
      }).then(function () {
        busy(false);
      });
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll('form[data-pdf]'), wire);
})();
