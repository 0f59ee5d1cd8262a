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

  // A checkbox with data-select-all="name" ticks or unticks every checkbox of that name in its form (the contact list).
  document.addEventListener('change', function (event) {
    var all = event.target.closest && event.target.closest('[data-select-all]');
    if (!all || !all.form) return;
    var boxes = all.form.querySelectorAll('input[type=checkbox][name="' + all.getAttribute('data-select-all') + '"]');
    Array.prototype.forEach.call(boxes, function (box) { box.checked = all.checked; });
  });

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

  // Selects that apply at once (filters, assignment).
  document.addEventListener('change', function (event) {
    var field = event.target;
    if (field.matches && field.matches('[data-autosubmit]') && field.form) {
      field.form.requestSubmit ? field.form.requestSubmit() : field.form.submit();
    }
  });

  // Enter sends, Shift+Enter is a new line.
  document.addEventListener('keydown', function (event) {
    var field = event.target;
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing && field.matches && field.matches('[data-submit-on-enter]')) {
      event.preventDefault();
      if (field.value.trim() !== '' && field.form) {
        field.form.requestSubmit ? field.form.requestSubmit() : field.form.submit();
      }
    }
  });

  // Replying to one message: the composer names it until sent or cancelled.
  document.addEventListener('click', function (event) {
    var reply = event.target.closest('[data-reply-to]');
    var form = document.querySelector('.inbox-reply');
    if (reply && form) {
      form.querySelector('[data-reply-field]').value = reply.getAttribute('data-reply-to');
      form.querySelector('[data-replying-text]').textContent = reply.getAttribute('data-reply-text');
      form.querySelector('[data-replying]').classList.remove('d-none');
      form.querySelector('textarea').focus();
    }
    var cancel = event.target.closest('[data-cancel-reply]');
    if (cancel && form) {
      form.querySelector('[data-reply-field]').value = '';
      form.querySelector('[data-replying]').classList.add('d-none');
    }
  });

  // Canned responses: typing /shortcut in a reply offers the matching ones; Enter, Tab or a click inserts one.
  function cannedList(field) {
    var form = field.form;
    return form && form.querySelector('[data-canned]');
  }
  function cannedMatches(field) {
    var list = cannedList(field);
    var value = field.value;
    if (!list || value.charAt(0) !== '/' || /\s/.test(value)) return [];
    var typed = value.substring(1).toLowerCase();
    var shown = [];
    list.querySelectorAll('[data-shortcut]').forEach(function (item) {
      var match = item.getAttribute('data-shortcut').indexOf(typed) === 0;
      item.classList.toggle('d-none', !match);
      if (match) shown.push(item);
    });
    list.classList.toggle('d-none', shown.length === 0);
    list.querySelectorAll('.active').forEach(function (item) { item.classList.remove('active'); });
    if (shown.length) shown[0].classList.add('active');
    return shown;
  }
  function insertCanned(field, item) {
    field.value = item.getAttribute('data-body');
    cannedList(field).classList.add('d-none');
    field.focus();
    field.setSelectionRange(field.value.length, field.value.length);
  }
  document.addEventListener('input', function (event) {
    var field = event.target;
    if (field.matches && field.matches('[data-submit-on-enter]') && cannedList(field)) cannedMatches(field);
  });
  document.addEventListener('keydown', function (event) {
    var field = event.target;
    if (!field.matches || !field.matches('[data-submit-on-enter]') || !cannedList(field)) return;
    var list = cannedList(field);
    if (list.classList.contains('d-none')) return;
    var shown = Array.prototype.slice.call(list.querySelectorAll('[data-shortcut]:not(.d-none)'));
    var active = list.querySelector('.active');
    var index = shown.indexOf(active);
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (active) active.classList.remove('active');
      var next = shown[(index + (event.key === 'ArrowDown' ? 1 : shown.length - 1)) % shown.length];
      if (next) next.classList.add('active');
    } else if ((event.key === 'Enter' || event.key === 'Tab') && active) {
      event.preventDefault();
      event.stopImmediatePropagation();
      insertCanned(field, active);
    } else if (event.key === 'Escape') {
      list.classList.add('d-none');
    }
  }, true);
  document.addEventListener('click', function (event) {
    var item = event.target.closest('[data-canned] [data-shortcut]');
    if (!item) return;
    var field = item.closest('form').querySelector('[data-submit-on-enter]');
    insertCanned(field, item);
  });

  // Files dropped on the composer join the attachment form.
  document.addEventListener('dragover', function (event) {
    if (event.target.closest && event.target.closest('.inbox-composer')) {
      event.preventDefault();
      document.querySelector('.inbox-composer').classList.add('dragging');
    }
  });
  document.addEventListener('dragleave', function (event) {
    var composer = document.querySelector('.inbox-composer');
    if (composer && event.target === composer) composer.classList.remove('dragging');
  });
  document.addEventListener('drop', function (event) {
    var composer = event.target.closest && event.target.closest('.inbox-composer');
    if (!composer || !event.dataTransfer || !event.dataTransfer.files.length) return;
    event.preventDefault();
    composer.classList.remove('dragging');
    var form = composer.querySelector('[data-drop-zone]');
    var input = form && form.querySelector('input[type=file]');
    if (!input) return;
    var files = new DataTransfer();
    Array.prototype.forEach.call(input.files, function (f) { files.items.add(f); });
    Array.prototype.forEach.call(event.dataTransfer.files, function (f) { files.items.add(f); });
    input.files = files.files;
    form.classList.add('show');
  });

  function inbox() { return document.querySelector('[data-live]'); }

  function markOpenRow() {
    var root = inbox();
    if (!root) return;
    var open = root.getAttribute('data-open');
    document.querySelectorAll('.inbox-row').forEach(function (row) {
      var active = open && row.getAttribute('data-conversation') === open;
      row.classList.toggle('active', !!active);
      if (active) row.setAttribute('aria-current', 'true'); else row.removeAttribute('aria-current');
    });
  }

  function threadAtBottom() {
    var thread = document.getElementById('thread');
    return !thread || thread.scrollHeight - thread.scrollTop - thread.clientHeight < 80;
  }

  function scrollThreadDown() {
    var thread = document.getElementById('thread');
    var focus = thread && thread.querySelector('[data-focus]');
    if (focus) { focus.scrollIntoView({ block: 'center' }); focus.removeAttribute('data-focus'); return; }
    if (thread) thread.scrollTop = thread.scrollHeight;
  }

  // Reloads a part of the page from its data-src, keeping the reader's place. Always settles.
  function refresh(id, keepBottom) {
    var part = document.getElementById(id);
    if (!part) return Promise.resolve();
    var active = document.activeElement;
    if (id === 'conversation-main' && active && part.contains(active) && active.matches('select, input, textarea')) {
      // Someone is using a control in it (choosing an assignee, say): do not pull it away; try again shortly.
      setTimeout(function () { schedule(false, true); }, 1500);
      return Promise.resolve();
    }
    var listScroll = part.classList.contains('inbox-list') ? part.scrollTop : null;
    var bottom = keepBottom && threadAtBottom();
    return fetch(part.getAttribute('data-src'), { headers: { 'HX-Request': 'true' }, credentials: 'same-origin' })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        var current = document.getElementById(id);
        if (html === null || !current) return;
        var holder = document.createElement('template');
        holder.innerHTML = html;
        // Parts sent along (the view counts) replace their namesakes.
        holder.content.querySelectorAll('[hx-swap-oob]').forEach(function (extra) {
          var old = extra.id && document.getElementById(extra.id);
          extra.removeAttribute('hx-swap-oob');
          if (old) old.replaceWith(extra);
        });
        var fresh = holder.content.getElementById(id);
        if (!fresh) return;
        current.replaceWith(fresh);
        if (window.htmx) htmx.process(fresh);
        if (listScroll !== null) fresh.scrollTop = listScroll;
        if (bottom) scrollThreadDown();
        markOpenRow();
      })
      .catch(function () { /* the next news or a reload will bring it */ });
  }

  // Live inbox: the server names conversations that changed; the list and the open conversation reload.
  var pending = { list: false, open: false }, timer = null, source = null;
  function schedule(list, open) {
    pending.list = pending.list || list;
    pending.open = pending.open || open;
    if (timer) return;
    timer = setTimeout(function () {
      timer = null;
      var work = [];
      if (pending.list) work.push(refresh('conversation-list', false));
      if (pending.open) work.push(refresh('conversation-main', true));
      pending = { list: false, open: false };
      Promise.all(work).then(function () { document.body.setAttribute('data-live-refreshed', String(Date.now())); });
    }, 150);
  }

  function connect() {
    var root = inbox();
    if (!root || source || !window.EventSource) return;
    source = new EventSource(root.getAttribute('data-live'));
    source.addEventListener('open', function () {
      root.setAttribute('data-live-state', 'open');
      // Whatever changed between this page being drawn (or the stream dropping) and now was not announced
      // to this tab: read the current state once.
      schedule(true, !!root.getAttribute('data-open'));
    });
    source.addEventListener('conversations', function (event) {
      root.setAttribute('data-live-events', String(Number(root.getAttribute('data-live-events') || 0) + 1));
      var open = root.getAttribute('data-open');
      var ids = (event.data || '').split(',');
      schedule(true, !!open && ids.indexOf(open) >= 0);
    });
    source.addEventListener('resync', function () { schedule(true, !!root.getAttribute('data-open')); });
    source.addEventListener('notification', function () { schedule(true, false); });
    source.addEventListener('error', function () { root.setAttribute('data-live-state', 'reconnecting'); });
  }

  // Keyboard: j/k move between conversations, r reply, n note, e resolve, ? lists them.
  document.addEventListener('keydown', function (event) {
    if (!inbox() || event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (target.closest && target.closest('input, textarea, select, [contenteditable="true"]')) return;
    var rows = Array.prototype.slice.call(document.querySelectorAll('.inbox-row'));
    var current = rows.findIndex(function (row) { return row.classList.contains('active'); });
    if (event.key === 'j' || event.key === 'k') {
      var next = event.key === 'j' ? current + 1 : current - 1;
      if (current < 0) next = 0;
      if (rows[next]) { event.preventDefault(); window.location.href = rows[next].href; }
    } else if (event.key === 'r' || event.key === 'n') {
      var tab = document.getElementById(event.key === 'r' ? 'tab-reply' : 'tab-note');
      if (!tab) return;
      event.preventDefault();
      if (window.bootstrap) bootstrap.Tab.getOrCreateInstance(tab).show();
      var field = document.querySelector(event.key === 'r' ? '#pane-reply textarea, #pane-reply input:not([type=hidden])' : '#note-body');
      if (field) field.focus();
    } else if (event.key === 'e') {
      var resolve = document.querySelector('[data-shortcut="e"]');
      if (resolve) { event.preventDefault(); resolve.click(); }
    } else if (event.key === '?') {
      var help = document.getElementById('shortcuts');
      if (help && window.bootstrap) { event.preventDefault(); bootstrap.Modal.getOrCreateInstance(help).show(); }
    }
  });

  document.addEventListener('DOMContentLoaded', function () {
    markOpenRow();
    scrollThreadDown();
    connect();
  });
})();
