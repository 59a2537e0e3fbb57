// Meeting mode: one slide at a time. → ← and Page Down / Page Up (a presenter's remote) move
// between slides, Home and End to the first and last; ↓ ↑ scroll the facts of the slide when
// they hold more than the screen shows, and Space reads on: further down, then the next slide.
// F goes full screen. The slides' maps were laid out while hidden (visibility): no refit needed.
(function () {
  'use strict';
  var slides = Array.prototype.slice.call(document.querySelectorAll('.slide'));
  var position = document.getElementById('position');
  var current = 0;
  var smooth = window.matchMedia('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth';

  function facts() { return slides[current].querySelector('.slide-facts'); }

  // Whether the facts of the current slide go on below what is shown; the hint says so.
  function more(pane) {
    return pane.scrollTop + pane.clientHeight < pane.scrollHeight - 2;
  }
  function hint() {
    var pane = facts();
    if (pane) slides[current].classList.toggle('has-more', more(pane));
  }

  function show(i) {
    if (i < 0 || i >= slides.length) return;
    slides[current].classList.remove('current');
    slides[current].setAttribute('aria-hidden', 'true');
    current = i;
    slides[current].classList.add('current');
    slides[current].setAttribute('aria-hidden', 'false');
    if (facts()) facts().scrollTop = 0;
    position.textContent = (current + 1) + ' / ' + slides.length;
    history.replaceState(null, '', '#' + (current + 1));
    hint();
  }

  // Scroll the facts by part of their height; false when there was nothing to scroll that way.
  function scroll(direction, share) {
    var pane = facts();
    if (!pane) return false;
    var room = direction > 0 ? more(pane) : pane.scrollTop > 0;
    if (room) pane.scrollBy({top: direction * pane.clientHeight * share, behavior: smooth});
    return room;
  }

  function fullscreen() {
    if (document.fullscreenElement) document.exitFullscreen();
    else if (document.documentElement.requestFullscreen) document.documentElement.requestFullscreen();
  }

  document.getElementById('prev').addEventListener('click', function () { show(current - 1); });
  document.getElementById('next').addEventListener('click', function () { show(current + 1); });
  document.getElementById('fullscreen').addEventListener('click', fullscreen);
  document.addEventListener('keydown', function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    var target = e.target;
    if (target instanceof HTMLElement && target.closest('button, a') && (e.key === ' ' || e.key === 'Enter')) return;
    var handled = true;
    if (e.key === 'ArrowRight' || e.key === 'PageDown') show(current + 1);
    else if (e.key === 'ArrowLeft' || e.key === 'PageUp') show(current - 1);
    else if (e.key === 'ArrowDown') scroll(1, 0.4);
    else if (e.key === 'ArrowUp') scroll(-1, 0.4);
    else if (e.key === ' ' && !e.shiftKey) { if (!scroll(1, 0.85)) show(current + 1); }
    else if (e.key === ' ') { if (!scroll(-1, 0.85)) show(current - 1); }
    else if (e.key === 'Home') show(0);
    else if (e.key === 'End') show(slides.length - 1);
    else if (e.key === 'f' || e.key === 'F') fullscreen();
    else handled = false;
    if (handled) e.preventDefault();
  });
  slides.forEach(function (slide) {
    var pane = slide.querySelector('.slide-facts');
    if (pane) pane.addEventListener('scroll', hint, {passive: true});
  });
  window.addEventListener('resize', hint);
  var start = parseInt(location.hash.slice(1), 10);
  if (start > 1) show(start - 1);
  else hint();
})();
