// Phone simulator: a person chats as a simulated customer with a sandbox business number.
// Everything goes through the control API under /sandbox/api; no inline code (the app's CSP forbids it).
// Inside Hexa CRM the signed-in person's session opens it (with the CSRF header /me names); standalone, the control
// token given in the address (/sandbox#token=...) does, kept for this tab only.
(function () {
  'use strict';

  const api = '/sandbox/api';
  const state = { number: null, numbers: [], customer: null, lastRendered: '', reactingTo: null, lines: [] };
  const $ = (id) => document.getElementById(id);
  const auth = { headers: {} };

  function readToken() {
    const match = /[#&]token=([^&]+)/.exec(window.location.hash);
    if (match) {
      sessionStorage.setItem('sandbox-control-token', decodeURIComponent(match[1]));
      history.replaceState(null, '', window.location.pathname + window.location.search);
    }
    return sessionStorage.getItem('sandbox-control-token');
  }

  async function signIn() {
    const token = readToken();
    if (token) {
      auth.headers.Authorization = 'Bearer ' + token;
    }
    const me = await call('GET', '/me');
    Object.assign(auth.headers, me.headers || {});
  }

  function showError(message) {
    const box = $('error');
    box.textContent = message || '';
    box.classList.toggle('hidden', !message);
  }

  async function call(method, path, body) {
    const options = { method: method, headers: Object.assign({}, auth.headers), credentials: 'same-origin' };
    if (body instanceof FormData) {
      options.body = body;
    } else if (body !== undefined) {
      options.headers['Content-Type'] = 'application/json';
      options.body = JSON.stringify(body);
    }
    const response = await fetch(api + path, options);
    const text = await response.text();
    const json = text ? JSON.parse(text) : null;
    if (!response.ok) {
      if (response.status === 401) {
        throw new Error('Sign in to Hexa CRM first, or open this page as /sandbox#token=<the sandbox control token>.');
      }
      throw new Error(json && json.message ? json.message : 'HTTP ' + response.status);
    }
    return json;
  }

  async function loadNumbers() {
    state.numbers = await call('GET', '/numbers');
    const select = $('number');
    const previous = state.number;
    select.textContent = '';
    state.numbers.forEach((n) => {
      const option = document.createElement('option');
      option.value = n.phoneNumberId;
      option.textContent = n.verifiedName + ' (+' + n.displayPhoneNumber + ')';
      select.appendChild(option);
    });
    if (state.numbers.length) {
      state.number = previous && state.numbers.some((n) => n.phoneNumberId === previous) ? previous : state.numbers[0].phoneNumberId;
      select.value = state.number;
      const n = currentNumber();
      $('business-name').textContent = n.verifiedName;
      $('number-status').textContent = 'Webhook: ' + n.webhookVerification + (n.webhookProblem ? ' — ' + n.webhookProblem : '');
    }
  }

  async function loadTemplates() {
    if (!state.number) { return; }
    const templates = await call('GET', '/numbers/' + state.number + '/templates');
    const select = $('review-template');
    const previous = select.value;
    select.textContent = '';
    templates.forEach((t) => {
      const option = document.createElement('option');
      option.value = t.id;
      const quality = t.quality_score && t.quality_score.score !== 'UNKNOWN' ? ', ' + t.quality_score.score : '';
      option.textContent = t.name + ' (' + t.language + ') — ' + t.status + quality;
      select.appendChild(option);
    });
    if (previous && templates.some((t) => t.id === previous)) { select.value = previous; }
  }

  async function templateReview() {
    const id = $('review-template').value;
    if (!id) { return; }
    const [kind, value] = $('review-action').value.split(':');
    const body = kind === 'review' ? { decision: value } : kind === 'status' ? { event: value } : { score: value };
    try {
      const t = await call('POST', '/templates/' + id + '/' + kind, body);
      $('review-status').textContent = t.name + ': ' + t.status + (t.quality_score ? ', quality ' + t.quality_score.score : '');
      await loadTemplates();
    } catch (err) {
      showError(err.message);
    }
  }

  function currentNumber() {
    return state.numbers.find((n) => n.phoneNumberId === state.number);
  }

  async function loadCustomers() {
    const customers = await call('GET', '/customers');
    const list = $('customers');
    list.textContent = '';
    customers.forEach((c) => {
      const item = document.createElement('li');
      const button = document.createElement('button');
      button.type = 'button';
      button.dataset.customer = c.id;
      button.textContent = c.profileName + ' · ' + c.id;
      button.classList.toggle('active', c.id === state.customer);
      button.addEventListener('click', () => pickCustomer(c.id));
      item.appendChild(button);
      list.appendChild(item);
    });
  }

  function pickCustomer(id) {
    state.customer = id;
    state.lastRendered = '';
    $('chat-with').textContent = 'Chatting as ' + id;
    loadCustomers().catch((e) => showError(e.message));
    refreshChat();
  }

  async function customerSends(message) {
    if (!state.customer || !state.number) {
      showError('Pick a customer first.');
      return;
    }
    showError('');
    message.phoneNumberId = state.number;
    try {
      await call('POST', '/customers/' + encodeURIComponent(state.customer) + '/messages', message);
      await refreshChat();
    } catch (e) {
      showError(e.message);
    }
  }

  async function refreshChat() {
    if (!state.customer || !state.number) {
      return;
    }
    const chat = await call('GET', '/numbers/' + state.number + '/chats/' + encodeURIComponent(state.customer));
    $('typing').classList.toggle('hidden', !chat.businessTyping);
    state.lines = chat.lines;
    const rendered = JSON.stringify(chat.lines);
    if (rendered === state.lastRendered) {
      return;
    }
    state.lastRendered = rendered;
    const list = $('messages');
    list.textContent = '';
    const byId = {};
    chat.lines.forEach((line) => { byId[line.id] = line; });
    chat.lines.filter((line) => line.type !== 'reaction').forEach((line) => list.appendChild(bubble(line, byId)));
    list.scrollTop = list.scrollHeight;
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined && text !== null) {
      node.textContent = text;
    }
    return node;
  }

  function mediaUrl(media) {
    if (!media) {
      return null;
    }
    return media.link ? media.link : '/sandbox/api/media/' + encodeURIComponent(media.id);
  }

  function bubble(line, byId) {
    const li = el('li', 'bubble ' + line.from + (line.status === 'failed' ? ' failed' : ''));
    li.dataset.messageId = line.id;
    li.dataset.type = line.type;
    const c = line.content || {};
    if (c.context && c.context.id && byId[c.context.id]) {
      li.appendChild(el('div', 'quoted', summary(byId[c.context.id])));
    }
    const shown = line.edited ? line.edited : c;
    if (line.from === 'business' && c.to) {
      li.appendChild(el('div', 'via', '📱 From the WhatsApp Business app'));
    }
    if (line.deleted) {
      li.appendChild(el('div', 'deleted', '🚫 This message was deleted'));
    } else if (line.from === 'customer') {
      renderCustomerContent(li, line.type, shown);
    } else {
      renderBusinessContent(li, line, shown);
    }
    const meta = el('div', 'meta', new Date(line.at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }));
    if (line.edited && !line.deleted) {
      meta.insertBefore(el('span', 'edited', 'Edited'), meta.firstChild);
    }
    if (line.from === 'customer') {
      const ticks = el('span', 'ticks ' + line.status, line.status === 'read' ? ' ✓✓' : ' ✓✓');
      ticks.dataset.status = line.status;
      meta.appendChild(ticks);
    } else if (line.status === 'failed') {
      meta.appendChild(el('span', 'failure', ' not delivered (' + line.errorCode + ')'));
    }
    li.appendChild(meta);
    const reaction = line.from === 'customer' ? line.businessReaction : line.customerReaction;
    if (reaction) {
      li.appendChild(el('span', 'reaction', reaction));
    }
    const react = el('button', 'react', '🙂');
    react.type = 'button';
    react.title = 'React';
    react.dataset.reactTo = line.id;
    react.addEventListener('click', () => openReactions(line.id));
    li.appendChild(react);
    return li;
  }

  function summary(line) {
    const c = line.content || {};
    if (line.type === 'text') {
      return (c.text && c.text.body) || '';
    }
    if (line.rendered && line.rendered.body) {
      return line.rendered.body;
    }
    if (line.type === 'interactive' && c.interactive && c.interactive.body) {
      return c.interactive.body.text;
    }
    return '[' + line.type + ']';
  }

  function renderCustomerContent(li, type, c) {
    switch (type) {
      case 'text': li.appendChild(el('div', 'text', c.text.body)); break;
      case 'image': case 'sticker':
        li.appendChild(image(c[type]));
        if (c[type].caption) { li.appendChild(el('div', 'caption', c[type].caption)); }
        break;
      case 'document': li.appendChild(el('div', 'document', '📄 ' + (c.document.filename || 'document'))); break;
      case 'audio': li.appendChild(el('div', 'audio', c.audio.voice ? '🎤 Voice message' : '🎵 Audio')); break;
      case 'video': li.appendChild(el('div', 'video', '🎬 Video')); break;
      case 'location': li.appendChild(el('div', 'location', '📍 ' + (c.location.name || (c.location.latitude + ', ' + c.location.longitude)))); break;
      case 'contacts': li.appendChild(el('div', 'contacts', '👤 ' + c.contacts.map((x) => x.name.formatted_name).join(', '))); break;
      case 'interactive': {
        const reply = c.interactive.button_reply || c.interactive.list_reply || {};
        const other = c.interactive.nfm_reply ? '📋 Flow answered' : c.interactive.call_permission_reply
          ? '📞 Calls ' + (c.interactive.call_permission_reply.response === 'accept' ? 'allowed' : 'refused') : '';
        li.appendChild(el('div', 'text', reply.title || other));
        break;
      }
      case 'button': li.appendChild(el('div', 'text', c.button.text)); break;
      case 'order': li.appendChild(el('div', 'text', '🛒 Order: ' + c.order.product_items.map((i) => i.quantity + ' × '
        + i.product_retailer_id).join(', '))); break;
      default: li.appendChild(el('div', 'text', '[' + type + ']'));
    }
  }

  function image(media) {
    const img = document.createElement('img');
    img.alt = media.caption || 'image';
    showMedia(mediaUrl(media), (url) => { img.src = url; });
    return img;
  }

  // With the control token the media must be fetched with it; a session cookie goes with a plain address.
  function showMedia(url, use) {
    if (!auth.headers.Authorization || !url || !url.startsWith(api)) {
      use(url);
      return;
    }
    fetch(url, { headers: auth.headers }).then((r) => (r.ok ? r.blob() : null))
      .then((blob) => { if (blob) { use(URL.createObjectURL(blob)); } }).catch(() => {});
  }

  function renderBusinessContent(li, line, c) {
    const type = line.type;
    const object = c[type] || {};
    switch (type) {
      case 'text': li.appendChild(el('div', 'text', object.body)); break;
      case 'image': case 'sticker':
        li.appendChild(image(object));
        if (object.caption) { li.appendChild(el('div', 'caption', object.caption)); }
        break;
      case 'video': li.appendChild(el('div', 'video', '🎬 ' + (object.caption || 'Video'))); break;
      case 'audio': li.appendChild(el('div', 'audio', '🎵 Audio')); break;
      case 'document': {
        const link = el('a', 'document', '📄 ' + (object.filename || object.caption || 'Document'));
        showMedia(mediaUrl(object), (url) => { link.href = url; });
        link.target = '_blank';
        li.appendChild(link);
        if (object.caption && object.filename) { li.appendChild(el('div', 'caption', object.caption)); }
        break;
      }
      case 'location': li.appendChild(el('div', 'location', '📍 ' + (object.name || '') + (object.address ? '\n' + object.address : ''))); break;
      case 'contacts': li.appendChild(el('div', 'contacts', '👤 ' + c.contacts.map((x) => x.name.formatted_name).join(', '))); break;
      case 'template': renderTemplate(li, line); break;
      case 'interactive': renderInteractive(li, line, object); break;
      default: li.appendChild(el('div', 'text', '[' + type + ']'));
    }
  }

  function renderTemplate(li, line) {
    const r = line.rendered || {};
    if (r.headerMedia && r.headerMedia.media && r.headerMedia.type === 'image') {
      li.appendChild(image(r.headerMedia.media));
    } else if (r.headerMedia) {
      const media = r.headerMedia.media || {};
      const icon = { video: '🎬 ', image: '🖼 ', location: '📍 ' }[r.headerMedia.type] || '📄 ';
      li.appendChild(el('div', 'header header-media', icon + (media.filename || media.link || r.headerMedia.type)));
    }
    if (r.header) { li.appendChild(el('div', 'header', r.header)); }
    if (r.body) { li.appendChild(el('div', 'text', r.body)); }
    if (r.footer) { li.appendChild(el('div', 'footer', r.footer)); }
    if (r.buttons && r.buttons.length) {
      const actions = el('div', 'actions');
      r.buttons.forEach((b) => {
        if (b.type === 'URL' || b.type === 'PHONE_NUMBER') {
          // Shown as WhatsApp shows them; they open the address or the dialer, and Meta sends no webhook for them.
          const link = el('a', b.type === 'URL' ? 'template-url' : 'template-phone', (b.type === 'URL' ? '🔗 ' : '📞 ') + b.text);
          const target = b.type === 'URL' ? (b.url || '') : (b.phoneNumber || '');
          if (b.type === 'URL' && /^https?:\/\//i.test(target)) {
            link.href = target;
            link.target = '_blank';
            link.rel = 'noopener noreferrer';
          } else if (b.type === 'PHONE_NUMBER' && /^\+?[0-9 ()-]+$/.test(target)) {
            link.href = 'tel:' + target.replace(/[^0-9+]/g, '');
          }
          link.title = target;
          link.appendChild(el('small', '', target));
          actions.appendChild(link);
          return;
        }
        const button = el('button', '', (b.type === 'COPY_CODE' ? '📋 ' : '') + b.text);
        button.type = 'button';
        if (b.type === 'QUICK_REPLY') {
          button.dataset.quickReply = b.payload;
          button.addEventListener('click', () => customerSends({ type: 'button', context: { id: line.id }, button: { payload: b.payload, text: b.text } }));
        } else if (b.type === 'COPY_CODE' && b.code) {
          button.title = b.code;
          button.addEventListener('click', () => { if (navigator.clipboard) { navigator.clipboard.writeText(b.code).catch(() => {}); } });
        }
        actions.appendChild(button);
      });
      li.appendChild(actions);
    }
  }

  function renderInteractive(li, line, interactive) {
    if (interactive.header) {
      if (interactive.header.type === 'text') {
        li.appendChild(el('div', 'header', interactive.header.text));
      } else if (interactive.header.type === 'image') {
        li.appendChild(image(interactive.header.image));
      }
    }
    if (interactive.body) { li.appendChild(el('div', 'text', interactive.body.text)); }
    if (interactive.footer) { li.appendChild(el('div', 'footer', interactive.footer.text)); }
    const actions = el('div', 'actions');
    const action = interactive.action || {};
    if (interactive.type === 'button') {
      (action.buttons || []).forEach((b) => {
        const button = el('button', '', b.reply.title);
        button.type = 'button';
        button.dataset.replyId = b.reply.id;
        button.addEventListener('click', () => customerSends({ type: 'interactive', context: { id: line.id },
          interactive: { type: 'button_reply', button_reply: { id: b.reply.id, title: b.reply.title } } }));
        actions.appendChild(button);
      });
    } else if (interactive.type === 'list') {
      const open = el('button', 'open-list', '☰ ' + action.button);
      open.type = 'button';
      open.dataset.openList = line.id;
      open.addEventListener('click', () => openList(line.id, action));
      actions.appendChild(open);
    } else if (interactive.type === 'flow' && action.parameters) {
      const open = el('button', 'open-flow', '📋 ' + action.parameters.flow_cta);
      open.type = 'button';
      open.dataset.openFlow = line.id;
      open.addEventListener('click', () => openFlow(line));
      actions.appendChild(open);
    } else if (interactive.type === 'cta_url' && action.parameters) {
      const link = el('a', '', '🔗 ' + action.parameters.display_text);
      link.href = action.parameters.url;
      link.target = '_blank';
      link.rel = 'noopener';
      actions.appendChild(link);
    }
    li.appendChild(actions);
  }

  function openList(messageId, action) {
    const sheet = $('list-sheet');
    sheet.textContent = '';
    (action.sections || []).forEach((section) => {
      if (section.title) { sheet.appendChild(el('h3', '', section.title)); }
      (section.rows || []).forEach((row) => {
        const button = el('button', '', row.title);
        button.type = 'button';
        button.dataset.rowId = row.id;
        if (row.description) { button.appendChild(el('small', '', row.description)); }
        button.addEventListener('click', () => {
          sheet.classList.add('hidden');
          const reply = { id: row.id, title: row.title };
          if (row.description) { reply.description = row.description; }
          customerSends({ type: 'interactive', context: { id: messageId }, interactive: { type: 'list_reply', list_reply: reply } });
        });
        sheet.appendChild(button);
      });
    });
    sheet.classList.remove('hidden');
  }

  // A WhatsApp Flow's screen as a simple form (the sandbox read its fields from the Flow JSON); submitting sends
  // Meta's nfm_reply with the answers, shaped by the screen's "complete" payload, in response_json.
  function openFlow(line) {
    const form = line.rendered;
    if (!form || !form.fields) {
      showError('The sandbox does not know this Flow.');
      return;
    }
    const sheet = $('flow-sheet');
    sheet.textContent = '';
    sheet.appendChild(el('h3', '', form.title || form.flowName));
    form.fields.forEach((field, i) => sheet.appendChild(flowField(field, 'flow-field-' + i)));
    const buttons = el('div', 'flow-buttons');
    const cancel = el('button', 'flow-cancel', 'Cancel');
    cancel.type = 'button';
    cancel.addEventListener('click', () => sheet.classList.add('hidden'));
    const submit = el('button', 'flow-submit', form.submit || 'Submit');
    submit.type = 'submit';
    buttons.appendChild(cancel);
    buttons.appendChild(submit);
    sheet.appendChild(buttons);
    sheet.onsubmit = (e) => {
      e.preventDefault();
      const answers = flowAnswers(sheet, form);
      const missing = form.fields.find((f) => f.required && (answers[f.name] === undefined || (Array.isArray(answers[f.name]) && !answers[f.name].length)));
      if (missing) {
        showError(missing.label + ' is required.');
        return;
      }
      sheet.classList.add('hidden');
      customerSends({ type: 'interactive', context: { id: line.id }, interactive: { type: 'nfm_reply',
        nfm_reply: { name: 'flow', body: 'Sent', response_json: flowResponse(form, answers) } } });
    };
    sheet.classList.remove('hidden');
    const first = sheet.querySelector('input, select, textarea');
    if (first) { first.focus(); }
  }

  function flowField(field, id) {
    const wrap = el('div', 'flow-field');
    wrap.dataset.field = field.name;
    const label = field.label + (field.required ? ' *' : '');
    const choices = (type) => {
      const set = el('fieldset');
      set.appendChild(el('legend', '', label));
      (field.options || []).forEach((o, j) => {
        const option = el('label', 'flow-option');
        const input = el('input');
        input.type = type;
        input.name = id;
        input.value = o.id;
        input.id = id + '-' + j;
        option.appendChild(input);
        option.appendChild(document.createTextNode(' ' + o.title));
        set.appendChild(option);
      });
      return set;
    };
    let input;
    switch (field.kind) {
      case 'RadioButtonsGroup': wrap.appendChild(choices('radio')); return wrap;
      case 'CheckboxGroup': wrap.appendChild(choices('checkbox')); return wrap;
      case 'Dropdown':
        input = el('select');
        input.appendChild(el('option', '', 'Choose…')).value = '';
        (field.options || []).forEach((o) => { input.appendChild(el('option', '', o.title)).value = o.id; });
        break;
      case 'TextArea': input = el('textarea'); break;
      case 'OptIn': input = el('input'); input.type = 'checkbox'; break;
      case 'DatePicker': input = el('input'); input.type = 'date'; break;
      default:
        input = el('input');
        input.type = { number: 'number', email: 'email', phone: 'tel', password: 'password', passcode: 'password' }[field.inputType] || 'text';
    }
    input.id = id;
    if (field.value !== undefined && input.type !== 'checkbox') { input.value = field.value; }
    const caption = el('label', '', label);
    caption.htmlFor = id;
    if (field.kind === 'OptIn') {
      wrap.appendChild(input);
      wrap.appendChild(caption);
    } else {
      wrap.appendChild(caption);
      wrap.appendChild(input);
    }
    return wrap;
  }

  function flowAnswers(sheet, form) {
    const answers = {};
    form.fields.forEach((field) => {
      const wrap = sheet.querySelector('[data-field="' + CSS.escape(field.name) + '"]');
      if (field.kind === 'CheckboxGroup') {
        answers[field.name] = Array.from(wrap.querySelectorAll('input:checked')).map((i) => i.value);
      } else if (field.kind === 'RadioButtonsGroup') {
        const checked = wrap.querySelector('input:checked');
        if (checked) { answers[field.name] = checked.value; }
      } else if (field.kind === 'OptIn') {
        answers[field.name] = wrap.querySelector('input').checked;
      } else {
        const value = wrap.querySelector('input, select, textarea').value.trim();
        if (value !== '') { answers[field.name] = value; }
      }
    });
    return answers;
  }

  // What the Flow's "complete" action sends: its payload with ${form.x} and ${data.x} filled in (without one, each
  // field under its own name), and the flow_token the business sent.
  function flowResponse(form, answers) {
    const response = { flow_token: form.flowToken };
    if (!form.response) {
      return Object.assign(response, answers);
    }
    Object.keys(form.response).forEach((key) => {
      const value = form.response[key];
      const reference = typeof value === 'string' ? /^\$\{(form|data)\.(.+)\}$/.exec(value) : null;
      const filled = !reference ? value : reference[1] === 'form' ? answers[reference[2]] : (form.data || {})[reference[2]];
      if (filled !== undefined) { response[key] = filled; }
    });
    return response;
  }

  function openReactions(messageId) {
    state.reactingTo = messageId;
    $('reaction-picker').classList.remove('hidden');
  }

  async function sendFile(file) {
    if (!state.customer || !state.number) {
      showError('Pick a customer first.');
      return;
    }
    const form = new FormData();
    form.append('file', file);
    form.append('phoneNumberId', state.number);
    try {
      const media = await call('POST', '/customers/' + encodeURIComponent(state.customer) + '/media', form);
      const mime = media.mimeType || file.type;
      let type = 'document';
      if (mime === 'image/webp') { type = 'sticker'; } else if (mime.startsWith('image/')) { type = 'image'; } else if (mime.startsWith('audio/')) { type = 'audio'; } else if (mime.startsWith('video/')) { type = 'video'; }
      const object = { id: media.id };
      const caption = $('text').value.trim();
      if (caption && type !== 'audio' && type !== 'sticker') { object.caption = caption; $('text').value = ''; }
      if (type === 'document') { object.filename = file.name; }
      await customerSends({ type: type, [type]: object });
    } catch (e) {
      showError(e.message);
    }
  }

  function sendText() {
    const body = $('text').value.trim();
    if (!body) {
      return;
    }
    $('text').value = '';
    customerSends({ type: 'text', text: { body: body } });
  }

  // The customer's own last message that can still be edited or deleted.
  function lastOwnMessage(editable) {
    const own = state.lines.filter((l) => l.from === 'customer' && !l.deleted && l.type !== 'reaction'
      && (!editable || ['text', 'image', 'video', 'document'].includes(l.type)));
    return own.length ? own[own.length - 1] : null;
  }

  async function sendMore() {
    const kind = $('more-kind').value;
    const text = $('more-text').value.trim();
    if (!state.customer || !state.number) {
      showError('Pick a customer first.');
      return;
    }
    showError('');
    const customer = encodeURIComponent(state.customer);
    try {
      switch (kind) {
        case 'order':
          await customerSends({ type: 'order', order: { catalog_id: '194836987003835', text: text,
            product_items: [{ product_retailer_id: 'kurta-blue-m', quantity: 2, item_price: 799, currency: 'INR' }] } });
          break;
        case 'flow':
          await customerSends({ type: 'interactive', interactive: { type: 'nfm_reply', nfm_reply: { name: 'flow', body: 'Sent',
            response_json: { flow_token: 'sandbox-feedback', rating: '5', comment: text || 'Quick delivery' } } } });
          break;
        case 'call-permission':
          await customerSends({ type: 'interactive', interactive: { type: 'call_permission_reply', call_permission_reply: {
            response: 'accept', is_permanent: false, response_source: 'user_action',
            expiration_timestamp: String(Math.floor(Date.now() / 1000) + 7 * 86400) } } });
          break;
        case 'ad':
          await customerSends({ type: 'text', text: { body: text || 'Hello! Can I get more info on this?' }, referral: {
            source_url: 'https://fb.me/sandbox-ad', source_id: '120226305854810726', source_type: 'ad', body: 'Summer sale is here!',
            headline: 'Chat with us', media_type: 'image', image_url: 'https://example.com/ad.jpg', ctwa_clid: 'sandbox-click' } });
          break;
        case 'edit': {
          const last = lastOwnMessage(true);
          if (!last) { showError('The customer has no message to edit.'); return; }
          const edited = last.type === 'text' ? { type: 'text', text: { body: text || 'Edited' } }
            : { type: last.type, [last.type]: { caption: text || 'Edited' } };
          await customerSends({ type: 'edit', edit: { original_message_id: last.id, message: edited } });
          break;
        }
        case 'revoke': {
          const last = lastOwnMessage(false);
          if (!last) { showError('The customer has no message to delete.'); return; }
          await customerSends({ type: 'revoke', revoke: { original_message_id: last.id } });
          break;
        }
        case 'voice': await customerSends({ type: 'audio', audio: { voice: true } }); break;
        case 'sticker': await customerSends({ type: 'sticker', sticker: { animated: false } }); break;
        case 'unsupported': await customerSends({ type: 'unsupported' }); break;
        case 'stop': case 'resume':
          await call('POST', '/customers/' + customer + '/preferences', { phoneNumberId: state.number, marketing: kind });
          break;
        case 'changed-number':
          if (!/^[0-9]{6,15}$/.test(text)) { showError('Type the new phone number in the text box (digits only).'); return; }
          await customerSends({ type: 'system', system: { type: 'user_changed_number', wa_id: text } });
          state.customer = text;
          break;
        case 'echo':
          await call('POST', '/numbers/' + state.number + '/echoes', { to: state.customer, type: 'text',
            text: { body: text || 'Thanks, we are on it!' } });
          break;
        case 'contact-add': case 'contact-remove': {
          const customerView = await call('GET', '/numbers/' + state.number + '/chats/' + customer);
          await call('POST', '/numbers/' + state.number + '/contact-sync', { action: kind === 'contact-add' ? 'add' : 'remove',
            phoneNumber: state.customer, fullName: customerView.customer.profileName });
          break;
        }
        default: return;
      }
      $('more-text').value = '';
      await refreshChat();
    } catch (e) {
      showError(e.message);
    }
  }

  function wire() {
    $('more-kinds').addEventListener('submit', (e) => { e.preventDefault(); sendMore(); });
    $('template-review').addEventListener('submit', (e) => { e.preventDefault(); templateReview(); });
    $('number').addEventListener('change', (e) => { state.number = e.target.value; state.lastRendered = ''; loadNumbers().then(refreshChat); });
    $('new-customer').addEventListener('submit', async (e) => {
      e.preventDefault();
      try {
        const waId = $('new-wa-id').value.trim();
        const key = /^[A-Z]{2}\./.test(waId) ? 'userId' : 'waId';
        const created = await call('POST', '/customers', { [key]: waId, profileName: $('new-name').value.trim() || undefined,
          phoneNumberId: state.number || undefined });
        $('new-wa-id').value = '';
        $('new-name').value = '';
        pickCustomer(created.id);
      } catch (err) {
        showError(err.message);
      }
    });
    $('send').addEventListener('click', sendText);
    $('text').addEventListener('keydown', (e) => { if (e.key === 'Enter') { sendText(); } });
    $('file').addEventListener('change', (e) => { if (e.target.files.length) { sendFile(e.target.files[0]); e.target.value = ''; } });
    $('send-location').addEventListener('click', () => customerSends({ type: 'location',
      location: { latitude: 37.4847, longitude: -122.1477, name: 'Meta HQ', address: '1 Hacker Way, Menlo Park, CA 94025' } }));
    $('send-contact').addEventListener('click', () => customerSends({ type: 'contacts',
      contacts: [{ name: { first_name: 'Kerry', last_name: 'Fisher', formatted_name: 'Kerry Fisher' },
        phones: [{ phone: '+1 (631) 555-1234', wa_id: '16315551234', type: 'MOBILE' }] }] }));
    $('reaction-picker').querySelectorAll('button').forEach((b) => b.addEventListener('click', () => {
      $('reaction-picker').classList.add('hidden');
      const reaction = { message_id: state.reactingTo };
      if (b.dataset.emoji) { reaction.emoji = b.dataset.emoji; }
      customerSends({ type: 'reaction', reaction: reaction });
    }));
  }

  async function poll() {
    try {
      await refreshChat();
    } catch (e) {
      showError(e.message);
    }
    setTimeout(poll, 1000);
  }

  document.addEventListener('DOMContentLoaded', async () => {
    wire();
    try {
      await signIn();
      await loadNumbers();
      await loadCustomers();
    } catch (e) {
      showError(e.message);
    }
    loadTemplates().catch(() => {});
    setInterval(() => { loadNumbers().catch(() => {}); loadCustomers().catch(() => {}); loadTemplates().catch(() => {}); }, 5000);
    poll();
  });
}());
