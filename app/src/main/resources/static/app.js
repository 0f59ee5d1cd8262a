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

  // Template form: the preview fills in the values as they are typed (as text, never as markup).
  function fillTemplatePreview(form) {
    form.querySelectorAll('[data-template-text]').forEach(function (part) {
      var kind = part.getAttribute('data-part');
      part.textContent = part.getAttribute('data-template-text').replace(/\{\{\s*(\w+)\s*\}\}/g, function (whole, key) {
        var field = form.querySelector('input[data-part="' + kind + '"][data-key="' + key + '"]');
        return field && field.value.trim() !== '' ? field.value : whole;
      });
    });
  }
  document.addEventListener('input', function (event) {
    var form = event.target.closest && event.target.closest('[data-template-form]');
    if (form) fillTemplatePreview(form);
  });

  // Emoji picker: a button opens a small grid of emoji; arrows or Tab move, Enter or a click inserts the
  // emoji where the caret was, Escape closes. The field remembers its caret while the picker has focus.
  var emojiCaret = null;
  function emojiField(picker) {
    var form = picker.closest('form');
    return form && form.querySelector('textarea');
  }
  function emojiItems(picker) {
    return Array.prototype.slice.call(picker.querySelectorAll('[data-emoji]'));
  }
  function focusEmoji(picker, item) {
    emojiItems(picker).forEach(function (each) { each.setAttribute('tabindex', each === item ? '0' : '-1'); });
    item.focus();
  }
  function openEmoji(toggle) {
    var picker = document.getElementById(toggle.getAttribute('data-emoji-toggle'));
    var field = picker && emojiField(picker);
    if (!field) return;
    emojiCaret = { start: field.selectionStart, end: field.selectionEnd };
    picker.classList.remove('d-none');
    toggle.setAttribute('aria-expanded', 'true');
    focusEmoji(picker, emojiItems(picker)[0]);
  }
  function closeEmoji(picker, refocus) {
    if (!picker || picker.classList.contains('d-none')) return;
    picker.classList.add('d-none');
    var toggle = document.querySelector('[data-emoji-toggle="' + picker.id + '"]');
    if (toggle) toggle.setAttribute('aria-expanded', 'false');
    var field = emojiField(picker);
    if (refocus && field) {
      field.focus();
      if (emojiCaret) field.setSelectionRange(emojiCaret.start, emojiCaret.end);
    }
  }
  function insertEmoji(picker, emoji) {
    var field = emojiField(picker);
    var start = emojiCaret ? emojiCaret.start : field.value.length;
    var end = emojiCaret ? emojiCaret.end : field.value.length;
    field.value = field.value.substring(0, start) + emoji + field.value.substring(end);
    emojiCaret = { start: start + emoji.length, end: start + emoji.length };
    closeEmoji(picker, true);
    field.dispatchEvent(new Event('input', { bubbles: true }));
  }
  // The nearest emoji in the row above or below: the closest row in that direction, then the closest column.
  function emojiBeside(items, current, down) {
    var box = current.getBoundingClientRect();
    var best = null, bestRow = null, bestGap = 0;
    items.forEach(function (item) {
      var r = item.getBoundingClientRect();
      var rowGap = down ? r.top - box.top : box.top - r.top;
      if (rowGap < box.height / 2) return;
      var gap = Math.abs(r.left - box.left);
      if (bestRow === null || rowGap < bestRow - 1 || (Math.abs(rowGap - bestRow) <= 1 && gap < bestGap)) {
        best = item; bestRow = rowGap; bestGap = gap;
      }
    });
    return best;
  }
  document.addEventListener('click', function (event) {
    var toggle = event.target.closest('[data-emoji-toggle]');
    if (toggle) {
      var picker = document.getElementById(toggle.getAttribute('data-emoji-toggle'));
      if (picker && picker.classList.contains('d-none')) openEmoji(toggle); else closeEmoji(picker, true);
      return;
    }
    var item = event.target.closest('[data-emoji-picker] [data-emoji]');
    if (item) {
      insertEmoji(item.closest('[data-emoji-picker]'), item.getAttribute('data-emoji'));
      return;
    }
    document.querySelectorAll('[data-emoji-picker]:not(.d-none)').forEach(function (open) {
      if (!open.contains(event.target)) closeEmoji(open, false);
    });
  });
  document.addEventListener('keydown', function (event) {
    var picker = event.target.closest && event.target.closest('[data-emoji-picker]');
    if (!picker) return;
    var items = emojiItems(picker);
    var index = items.indexOf(event.target);
    var next = null;
    if (event.key === 'Escape') {
      event.preventDefault();
      closeEmoji(picker, true);
      return;
    } else if (event.key === 'ArrowRight' || (event.key === 'Tab' && !event.shiftKey)) {
      next = items[(index + 1) % items.length];
    } else if (event.key === 'ArrowLeft' || (event.key === 'Tab' && event.shiftKey)) {
      next = items[(index - 1 + items.length) % items.length];
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      next = emojiBeside(items, event.target, event.key === 'ArrowDown') || event.target;
    } else if (event.key === 'Home' || event.key === 'End') {
      next = event.key === 'Home' ? items[0] : items[items.length - 1];
    } else if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      if (index >= 0) insertEmoji(picker, items[index].getAttribute('data-emoji'));
      return;
    } else {
      return;
    }
    event.preventDefault();
    event.stopPropagation();
    focusEmoji(picker, next);
  });

  // @mentions in notes: typing @ and letters lists the members who may be mentioned; arrows move,
  // Enter, Tab or a click writes the mention the server recognises, Escape closes.
  var mentionRequest = 0, mentionTimer = null;
  function mentionList(field) {
    return field.form && field.form.querySelector('[data-mentions]');
  }
  function mentionTyped(field) {
    var before = field.value.substring(0, field.selectionStart);
    var match = /(^|\s)@([^\s@]{0,30})$/.exec(before);
    return match ? { at: before.length - match[2].length - 1, query: match[2] } : null;
  }
  function closeMentions(field) {
    var list = mentionList(field);
    if (list) list.classList.add('d-none');
    field.setAttribute('aria-expanded', 'false');
    field.removeAttribute('aria-activedescendant');
  }
  function activateMention(field, item) {
    var list = mentionList(field);
    list.querySelectorAll('[role=option]').forEach(function (each) {
      each.classList.toggle('active', each === item);
      each.setAttribute('aria-selected', each === item ? 'true' : 'false');
    });
    if (item) field.setAttribute('aria-activedescendant', item.id);
  }
  function showMentions(field, people) {
    var list = mentionList(field);
    list.textContent = '';
    people.forEach(function (person, i) {
      var item = document.createElement('li');
      item.className = 'list-group-item list-group-item-action small';
      item.id = list.id + '-' + i;
      item.setAttribute('role', 'option');
      item.setAttribute('data-mention', person.mention);
      item.textContent = person.name;
      if (person.mention !== person.name) {
        var handle = document.createElement('span');
        handle.className = 'text-muted ms-1';
        handle.textContent = '@' + person.mention;
        item.appendChild(handle);
      }
      list.appendChild(item);
    });
    if (!people.length) { closeMentions(field); return; }
    list.classList.remove('d-none');
    field.setAttribute('aria-expanded', 'true');
    activateMention(field, list.firstChild);
  }
  function insertMention(field, item) {
    var typed = mentionTyped(field);
    if (!typed) return;
    var text = '@' + item.getAttribute('data-mention') + ' ';
    var caret = field.selectionStart;
    field.value = field.value.substring(0, typed.at) + text + field.value.substring(caret);
    field.focus();
    field.setSelectionRange(typed.at + text.length, typed.at + text.length);
    closeMentions(field);
  }
  document.addEventListener('input', function (event) {
    var field = event.target;
    if (!field.matches || !field.matches('[data-mention-field]')) return;
    var typed = mentionTyped(field);
    clearTimeout(mentionTimer);
    if (!typed) { closeMentions(field); return; }
    var request = ++mentionRequest;
    mentionTimer = setTimeout(function () {
      fetch(mentionList(field).getAttribute('data-mentions') + '?q=' + encodeURIComponent(typed.query), { credentials: 'same-origin' })
        .then(function (response) { return response.ok ? response.json() : []; })
        .then(function (people) { if (request === mentionRequest && mentionTyped(field)) showMentions(field, people); })
        .catch(function () { closeMentions(field); });
    }, 120);
  });
  document.addEventListener('keydown', function (event) {
    var field = event.target;
    if (!field.matches || !field.matches('[data-mention-field]')) return;
    var list = mentionList(field);
    if (!list || list.classList.contains('d-none')) return;
    var items = Array.prototype.slice.call(list.querySelectorAll('[role=option]'));
    var index = items.indexOf(list.querySelector('.active'));
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      activateMention(field, items[(index + (event.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length]);
    } else if ((event.key === 'Enter' || event.key === 'Tab') && index >= 0) {
      event.preventDefault();
      event.stopImmediatePropagation();
      insertMention(field, items[index]);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      closeMentions(field);
    }
  }, true);
  document.addEventListener('mousedown', function (event) {
    var item = event.target.closest && event.target.closest('[data-mentions] [role=option]');
    if (!item) return;
    event.preventDefault();
    insertMention(item.closest('form').querySelector('[data-mention-field]'), item);
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

  // Reloads a part of the page from its data-src, keeping the reader's place. Always settles. When two reloads of
  // a part overlap, only the one asked for last is shown: an older answer arriving late would undo newer news.
  var latest = {};
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
    var ticket = latest[id] = (latest[id] || 0) + 1;
    return fetch(part.getAttribute('data-src'), { headers: { 'HX-Request': 'true' }, credentials: 'same-origin' })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        var current = document.getElementById(id);
        if (html === null || !current || ticket !== latest[id]) return;
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
    if (target.closest && target.closest('input, textarea, select, [contenteditable="true"], [data-emoji-picker], [data-mentions]')) return;
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
  // Parts of a form that apply only to some values of a select (the rule editor's trigger delay, an attribute's name):
  // data-shown-by names the select's id, data-shows-for the values. Without scripts every part shows; the server
  // ignores what does not apply.
  function showParts(select) {
    document.querySelectorAll('[data-shown-by="' + select.id + '"]').forEach(function (part) {
      part.hidden = part.getAttribute('data-shows-for').split(' ').indexOf(select.value) < 0;
    });
  }
  document.addEventListener('change', function (event) {
    if (event.target.matches && event.target.matches('select[data-shows-parts]')) showParts(event.target);
  });
  document.querySelectorAll('select[data-shows-parts]').forEach(showParts);
  // Parts brought in by htmx (a campaign's placeholders for the template just chosen) show as their selects say.
  document.addEventListener('htmx:afterSettle', function () {
    document.querySelectorAll('select[data-shows-parts]').forEach(showParts);
  });
})();
