// The app's header: one row on a wide screen, a "Menu" button under 900 px or whenever its links
// do not fit on one row (a long language, an administrator's many links). Loaded right after the
// header, not deferred, so the page never shows the header in the wrong form first. Without
// JavaScript the header simply wraps onto more rows.
(function () {
  'use strict';
  var header = document.querySelector('header.top');
  if (!header) return;
  var toggle = header.querySelector('.menu-toggle');
  var account = header.querySelector('details.account');
  var NARROW = 900;  // px: under this width the menu is folded

  function open(on) {
    header.classList.toggle('open', on);
    toggle.setAttribute('aria-expanded', on ? 'true' : 'false');
  }

  var nav = header.querySelector('nav');
  var links = nav.querySelectorAll('a');
  var last = links[links.length - 1];

  // Unfold, measure, fold again if the row does not fit: the only sure test in every language.
  function fit() {
    var wasCompact = header.classList.contains('compact');
    header.classList.remove('compact');
    var compact = window.innerWidth < NARROW || header.scrollWidth > header.clientWidth + 1 ||
      (last && last.getBoundingClientRect().right > nav.getBoundingClientRect().right + 1);
    header.classList.toggle('compact', compact);
    toggle.hidden = !compact;
    if (compact !== wasCompact) {
      open(false);
      account.open = compact;  // in the folded menu the account's part is simply shown
    }
  }

  document.documentElement.classList.add('js');
  fit();
  var pending = false;
  window.addEventListener('resize', function () {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () { pending = false; fit(); });
  });
  toggle.addEventListener('click', function () { open(!header.classList.contains('open')); });
  account.addEventListener('toggle', function () {  // folded, the account's part stays shown
    if (!account.open && header.classList.contains('compact')) account.open = true;
  });
  document.addEventListener('keydown', function (event) {
    if (event.key !== 'Escape') return;
    if (header.classList.contains('open')) { open(false); toggle.focus(); }
    else if (account.open && !header.classList.contains('compact')) {
      account.open = false;
      account.querySelector('summary').focus();
    }
  });
  document.addEventListener('click', function (event) {  // a click elsewhere closes what is open
    if (header.contains(event.target)) return;
    if (header.classList.contains('open')) open(false);
    if (account.open && !header.classList.contains('compact')) account.open = false;
  });
})();
