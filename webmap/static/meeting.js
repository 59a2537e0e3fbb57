// Meeting mode: show one slide at a time; ← → / Page Up / Page Down and the buttons move, F goes
// full screen. The slides' maps were laid out while hidden (visibility), so they need no refit.
(function () {
  var slides = Array.prototype.slice.call(document.querySelectorAll('.slide'));
  var position = document.getElementById('position');
  var current = 0;
  function show(i) {
    if (i < 0 || i >= slides.length) return;
    slides[current].classList.remove('current');
    slides[current].setAttribute('aria-hidden', 'true');
    current = i;
    slides[current].classList.add('current');
    slides[current].setAttribute('aria-hidden', 'false');
    position.textContent = (current + 1) + ' / ' + slides.length;
    history.replaceState(null, '', '#' + (current + 1));
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
    if (e.key === 'ArrowRight' || e.key === 'PageDown' || e.key === ' ') { show(current + 1); e.preventDefault(); }
    else if (e.key === 'ArrowLeft' || e.key === 'PageUp') { show(current - 1); e.preventDefault(); }
    else if (e.key === 'Home') show(0);
    else if (e.key === 'End') show(slides.length - 1);
    else if (e.key === 'f' || e.key === 'F') fullscreen();
  });
  var start = parseInt(location.hash.slice(1), 10);
  if (start > 1) show(start - 1);
})();
