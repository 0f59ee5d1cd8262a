// Behaviour shared by every page. No inline scripts anywhere: the Content-Security-Policy forbids them.
(function () {
  'use strict';

  // Destructive forms carry data-confirm; ask before submitting them.
  document.addEventListener('submit', function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute('data-confirm');
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  }, true);

  // Copy buttons: data-copy-target names the input whose value is copied.
  document.addEventListener('click', function (event) {
    var button = event.target.closest('[data-copy-target]');
    if (!button) return;
    var input = document.querySelector(button.getAttribute('data-copy-target'));
    if (!input) return;
    input.select();
    var done = function () {
      var original = button.textContent;
      button.textContent = button.getAttribute('data-copied-text') || original;
      setTimeout(function () { button.textContent = original; }, 2000);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(done, function () { document.execCommand('copy'); done(); });
    } else {
      document.execCommand('copy');
      done();
    }
  });

  // htmx requests carry the CSRF token like forms do.
  document.addEventListener('htmx:configRequest', function (event) {
    var token = document.querySelector('meta[name="csrf-token"]');
    if (token) event.detail.headers['X-CSRF-TOKEN'] = token.getAttribute('content');
  });
})();
