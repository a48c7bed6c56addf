// The QA console's one script. It talks only to the admin API (what it does, a script can do)
// and puts values on the page only as text nodes: a path or body holding <script> shows as text.
'use strict';

const params = new URLSearchParams(location.search);
const sandbox = params.get('sandbox') || 'default';
const TOKEN_KEY = 'hr-sandbox-admin-token';

// ---- DOM helpers: elements are built, never parsed from strings.

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === 'text') node.textContent = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (value !== undefined && value !== null && value !== false) node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

const $ = (selector, root = document) => root.querySelector(selector);

function rows(table, list) {
  const body = $('tbody', table);
  body.replaceChildren(...list);
}

function say(message, isError = false) {
  const status = $('#status');
  status.textContent = message;
  status.className = isError ? 'error' : 'ok';
}

function fail(form, message) {
  const slot = form && $('[data-error]', form);
  if (slot) slot.textContent = message;
  say(message, true);
}

function clearError(form) {
  const slot = form && $('[data-error]', form);
  if (slot) slot.textContent = '';
}

// A path as a person reads it: percent-escapes decoded (a path with <script> in it shows that).
function readable(path) {
  try { return decodeURIComponent(path); } catch (_) { return path; }
}

function brief(value) {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return text.length > 120 ? text.slice(0, 117) + '…' : text;
}

// ---- The admin API.

class ApiError extends Error {
  constructor(status, body) {
    const error = body && body.error;
    super(error ? error.message : `HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

function withSandbox(path) {
  return path + (path.includes('?') ? '&' : '?') + 'sandbox=' + encodeURIComponent(sandbox);
}

async function api(method, path, body, type = 'application/json') {
  const headers = {};
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) headers.Authorization = 'Bearer ' + token;
  const init = { method, headers };
  if (body !== undefined) {
    headers['Content-Type'] = type;
    init.body = type === 'application/json' ? JSON.stringify(body) : body;
  }
  const response = await fetch('/__admin' + path, init);
  if (response.status === 401) {
    const given = prompt('This server needs its admin token (--admin-token):');
    if (given) {
      sessionStorage.setItem(TOKEN_KEY, given);
      return api(method, path, body, type);
    }
  }
  const text = await response.text();
  let parsed = null;
  try { parsed = text ? JSON.parse(text) : null; } catch (_) { parsed = text; }
  if (!response.ok) throw new ApiError(response.status, parsed);
  return parsed;
}

// ---- Navigation and the sandbox picker (every page).

async function setupShell() {
  for (const link of document.querySelectorAll('[data-page-link]')) {
    link.href = link.getAttribute('href') + '?sandbox=' + encodeURIComponent(sandbox);
  }
  const select = $('#sandbox-select');
  try {
    const list = await api('GET', '/sandboxes');
    select.replaceChildren(...list.map((s) => el('option', { value: s.name, selected: s.name === sandbox, text: s.name })));
  } catch (error) {
    say(error.message, true);
  }
  select.addEventListener('change', () => {
    const next = new URLSearchParams(location.search);
    next.set('sandbox', select.value);
    location.search = next.toString();
  });
}

// ---- Overview: where state is kept, sandboxes (create, fork), clock, vendors.

function parseDuration(text) {
  const parts = text.trim().toLowerCase().match(/^(-?)((\d+(\.\d+)?)(d|h|m|s))+$/);
  if (!parts) return null;
  const units = { d: 86400, h: 3600, m: 60, s: 1 };
  let seconds = 0;
  for (const [, amount, unit] of text.trim().toLowerCase().matchAll(/(\d+(?:\.\d+)?)(d|h|m|s)/g)) {
    seconds += Number(amount) * units[unit];
  }
  return Math.round(parts[1] === '-' ? -seconds : seconds);
}

async function overview() {
  const createForm = $('#create-sandbox');
  const forkForm = $('#fork-sandbox');

  async function loadState() {
    const health = await api('GET', '/health');
    $('#state-where').textContent = health.state_dir ? `State: kept in ${health.state_dir}` : 'State: in memory only (lost on restart)';
  }

  async function loadSandboxes() {
    const list = await api('GET', '/sandboxes');
    $('select[name=from]', forkForm).replaceChildren(...list.map((s) => el('option', { value: s.name, selected: s.name === sandbox, text: s.name })));
    rows($('#sandboxes'), list.map((s) => el('tr', { 'data-sandbox': s.name },
      el('td', {}, el('a', { href: '/__admin/ui/overview?sandbox=' + encodeURIComponent(s.name), text: s.name })),
      el('td', { text: s.seed }),
      el('td', { text: s.name === 'default' ? '/<vendor>' : `/sandboxes/${s.name}/<vendor>` }),
      el('td', {},
        el('button', { type: 'button', text: 'Reset', onclick: () => act(`Reset ${s.name}`, () => api('POST', '/reset?sandbox=' + encodeURIComponent(s.name), {})) }),
        s.name === 'default' ? null : el('button', { type: 'button', class: 'danger', text: 'Delete', onclick: () => {
          if (confirm(`Delete sandbox ${s.name}?`)) act(`Deleted ${s.name}`, () => api('DELETE', '/sandboxes/' + encodeURIComponent(s.name)));
        } })))));
  }

  async function loadClock() {
    const clock = await api('GET', withSandbox('/clock'));
    $('#clock-now').textContent = clock.now;
    $('#clock-frozen').textContent = clock.frozen ? 'frozen' : 'running';
  }

  async function loadVendors() {
    const list = await api('GET', withSandbox('/vendors'));
    rows($('#vendors'), list.map((v) => el('tr', {},
      el('td', { text: v.name }),
      el('td', { text: (sandbox === 'default' ? '' : `/sandboxes/${sandbox}`) + v.prefix }),
      el('td', { text: Object.entries(v.counts).map(([k, n]) => `${k}: ${n}`).join(', ') }),
      el('td', {}, el('button', { type: 'button', text: 'Reset vendor', onclick: () => act(`Reset ${v.name}`, () => api('POST', withSandbox('/reset'), { vendors: [v.id] })) })))));
  }

  async function refresh() {
    await Promise.all([loadState(), loadSandboxes(), loadClock(), loadVendors()]);
  }

  async function act(done, call, form) {
    clearError(form);
    try {
      await call();
      say(done);
      await refresh();
    } catch (error) {
      fail(form, error.message);
    }
  }

  createForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(createForm);
    const body = { name: data.get('name') };
    if (data.get('seed')) body.seed = Number(data.get('seed'));
    act(`Created ${body.name}`, () => api('POST', '/sandboxes', body), createForm).then(() => createForm.reset());
  });
  forkForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(forkForm);
    const body = { name: data.get('name'), from: data.get('from') };
    act(`Forked ${body.from} as ${body.name}`, () => api('POST', '/sandboxes', body), forkForm).then(() => forkForm.reset());
  });
  const advance = $('#clock-advance');
  advance.addEventListener('submit', (event) => {
    event.preventDefault();
    const seconds = parseDuration(new FormData(advance).get('duration'));
    if (seconds === null) return fail($('#clock-set'), 'durations look like 90s, 15m, 2h, 1d or 1h30m');
    act(`Advanced ${seconds} s`, () => api('POST', withSandbox('/clock'), { advance_seconds: seconds }), $('#clock-set'));
  });
  const set = $('#clock-set');
  set.addEventListener('submit', (event) => {
    event.preventDefault();
    act('Clock set', () => api('POST', withSandbox('/clock'), { set: new FormData(set).get('at') }), set);
  });
  $('#clock-freeze').addEventListener('click', () => act('Clock frozen', () => api('POST', withSandbox('/clock'), { frozen: true }), set));
  $('#clock-unfreeze').addEventListener('click', () => act('Clock running', () => api('POST', withSandbox('/clock'), { frozen: false }), set));
  await refresh();
}

// ---- Traffic: the journal, live.

// A webhook delivery attempt as one line: its event type, attempt number and flags.
function delivery(d) {
  const flags = [d.duplicate ? 'duplicate' : '', d.simulated ? 'simulated' : ''].filter(Boolean).join(', ');
  return `${d.event_type} attempt ${d.attempt}${flags ? ' (' + flags + ')' : ''}`;
}

async function traffic() {
  const form = $('#traffic-filter');
  const vendors = await api('GET', withSandbox('/vendors'));
  $('select[name=vendor]', form).append(...vendors.map((v) => el('option', { value: v.id, text: v.name })));
  let selected = null;
  let lastShown = '';

  function query() {
    const data = new FormData(form);
    const q = new URLSearchParams({ sandbox, limit: '200' });
    for (const name of ['vendor', 'method', 'path', 'status', 'direction']) {
      const value = (data.get(name) || '').trim();
      if (value) q.set(name, value);
    }
    return '/requests?' + q.toString();
  }

  function headerRows(table, headers) {
    rows(table, Object.entries(headers || {}).map(([name, value]) => el('tr', {}, el('th', { text: name }), el('td', { text: value }))));
  }

  function show(entry) {
    selected = entry.seq;
    const panel = $('#exchange');
    panel.hidden = false;
    $('#exchange-title').textContent = `${entry.method} ${readable(entry.path)}${entry.query ? '?' + readable(entry.query) : ''}`;
    const meta = [`#${entry.seq}`, entry.direction, entry.vendor, `status ${entry.status}`, entry.at];
    if (entry.scenario) meta.push(`shaped by scenario rule ${entry.scenario}`);
    if (entry.panic) meta.push(`panicked: ${entry.panic}`);
    if (entry.url) meta.push(entry.url);
    const outcome = entry.outcome;
    if (outcome) meta.push(`outcome ${outcome.result}${outcome.detail ? ': ' + outcome.detail : ''}`);
    if (outcome && outcome.delivery) meta.push(`delivery ${delivery(outcome.delivery)} of event ${outcome.delivery.id} (webhook ${outcome.delivery.webhook_id})`);
    $('#exchange-meta').textContent = meta.join(' · ');
    headerRows($('#request-headers'), entry.headers);
    $('#request-body').textContent = (entry.body || '') + (entry.body_truncated ? '\n… (cut)' : '');
    const answer = entry.response || {};
    headerRows($('#response-headers'), answer.headers);
    $('#response-body').textContent = answer.streamed ? '(streamed, not recorded)' : (answer.body || '') + (answer.body_truncated ? '\n… (cut)' : '');
    for (const row of document.querySelectorAll('#traffic tbody tr')) row.classList.toggle('selected', row.dataset.seq === String(selected));
  }

  async function load() {
    let list;
    try {
      list = await api('GET', query());
    } catch (error) {
      return say(error.message, true);
    }
    const key = list.map((e) => e.seq).join(',');
    if (key === lastShown) return;
    lastShown = key;
    rows($('#traffic'), list.slice().reverse().map((entry) => el('tr', {
      'data-seq': entry.seq,
      class: [entry.status >= 400 || entry.status === 0 ? 'failed' : '', entry.direction === 'outbound' ? 'outbound' : '', entry.seq === selected ? 'selected' : ''].join(' ').trim() || null,
      onclick: () => show(entry),
    },
    el('td', { text: entry.seq }),
    el('td', { text: entry.at.slice(11, 23) }),
    el('td', { text: entry.direction === 'outbound' ? 'out →' : 'in' }),
    el('td', { text: entry.vendor }),
    el('td', { text: entry.method }),
    el('td', { class: 'path', title: entry.path, text: readable(entry.path) + (entry.query ? '?' + readable(entry.query) : '') }),
    el('td', { text: entry.status }),
    el('td', { text: entry.scenario || (entry.outcome && entry.outcome.delivery ? delivery(entry.outcome.delivery) : '') }),
    el('td', { text: entry.duration_ms }))));
    say(`${list.length} request(s) shown`);
  }

  form.addEventListener('input', () => { lastShown = ''; load(); });
  form.addEventListener('submit', (event) => event.preventDefault());
  $('#traffic-clear').addEventListener('click', async () => {
    await api('DELETE', withSandbox('/requests'));
    lastShown = '';
    $('#exchange').hidden = true;
    load();
  });
  await load();
  setInterval(() => { if ($('input[name=live]', form).checked) load(); }, 1000);
}

// ---- Scenarios: loaded ones, shipped ones, pasted ones.

async function scenarios() {
  let loaded = [];
  const active = () => loaded.filter((s) => s.active).sort((a, b) => a.activation_order - b.activation_order).map((s) => s.name);

  async function setActive(names) {
    try {
      await api('PUT', withSandbox('/scenarios/active'), { names });
      await load();
    } catch (error) {
      say(error.message, true);
    }
  }

  async function load() {
    loaded = await api('GET', withSandbox('/scenarios'));
    const order = active();
    rows($('#scenarios'), loaded.map((s) => {
      const place = order.indexOf(s.name);
      return el('tr', { 'data-scenario': s.name },
        el('td', { text: place >= 0 ? place + 1 : '' }),
        el('td', { text: s.name }),
        el('td', { text: s.description || '' }),
        el('td', { text: s.active ? 'active' : 'inactive' }),
        el('td', { text: s.rules.map((r) => `#${r.index}: ${r.matched} / ${r.fired}`).join(', ') }),
        el('td', {},
          s.active
            ? el('button', { type: 'button', text: 'Deactivate', onclick: () => setActive(order.filter((n) => n !== s.name)) })
            : el('button', { type: 'button', text: 'Activate', onclick: () => setActive([...order, s.name]) }),
          s.active && place > 0 ? el('button', { type: 'button', text: '↑', title: 'Decide earlier', onclick: () => {
            const next = order.slice();
            [next[place - 1], next[place]] = [next[place], next[place - 1]];
            setActive(next);
          } }) : null,
          s.active && place < order.length - 1 ? el('button', { type: 'button', text: '↓', title: 'Decide later', onclick: () => {
            const next = order.slice();
            [next[place + 1], next[place]] = [next[place], next[place + 1]];
            setActive(next);
          } }) : null,
          el('button', { type: 'button', class: 'danger', text: 'Unload', onclick: async () => {
            await api('DELETE', withSandbox('/scenarios/' + encodeURIComponent(s.name)));
            await load();
          } })));
    }));
  }

  async function upload(source, name, form) {
    clearError(form);
    const type = source.trim().startsWith('{') ? 'application/json' : 'application/yaml';
    const path = withSandbox('/scenarios') + (name ? '&name=' + encodeURIComponent(name) : '');
    try {
      const added = await api('POST', path, source, type);
      say(`Loaded ${added.name}`);
      await load();
      return true;
    } catch (error) {
      fail(form, error.message);
      return false;
    }
  }

  const shipped = await api('GET', '/scenarios/shipped').catch((error) => { say(error.message, true); return []; });
  const shippedForm = $('#load-shipped');
  const pick = $('select[name=name]', shippedForm);
  pick.replaceChildren(...shipped.map((s) => el('option', { value: s.name, text: s.name })));
  const describe = () => { $('#shipped-description').textContent = (shipped.find((s) => s.name === pick.value) || {}).description || ''; };
  pick.addEventListener('change', describe);
  describe();
  shippedForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const chosen = shipped.find((s) => s.name === pick.value);
    if (chosen) upload(chosen.source, chosen.name, shippedForm);
  });

  const textForm = $('#load-text');
  $('input[name=file]', textForm).addEventListener('change', async (event) => {
    const file = event.target.files[0];
    if (file) $('textarea', textForm).value = await file.text();
  });
  textForm.addEventListener('submit', (event) => {
    event.preventDefault();
    upload($('textarea', textForm).value, '', textForm);
  });
  $('#deactivate-all').addEventListener('click', async () => {
    await api('DELETE', withSandbox('/scenarios/active'));
    await load();
  });
  await load();
}

// ---- Data: the state as tables, and the settings.

function tablesOf(state) {
  // Every list of records in the state, nested lists (a tenant's employees) included.
  const found = [];
  const isRecords = (value) => Array.isArray(value) && value.length > 0 && value.every((v) => v && typeof v === 'object' && !Array.isArray(v));
  function walk(value, path, owner) {
    if (isRecords(value)) {
      const records = value.map((record) => (owner ? { [owner.label]: owner.value, ...record } : record));
      found.push({ path, records });
      value.forEach((record, i) => {
        const label = record.identity || record.name || record.id || String(i);
        for (const [key, inner] of Object.entries(record)) {
          if (isRecords(inner)) walk(inner, `${path} › ${key}`, { label: path.split(' › ').pop(), value: label });
        }
      });
    } else if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [key, inner] of Object.entries(value)) {
        if (!path && (isRecords(inner) || (inner && typeof inner === 'object'))) walk(inner, key, null);
      }
    }
  }
  walk(state, '', null);
  const merged = new Map();
  for (const table of found) merged.set(table.path, (merged.get(table.path) || []).concat(table.records));
  return [...merged.entries()].map(([path, records]) => ({ path, records }));
}

function renderTable({ path, records }, search) {
  const columns = [...new Set(records.flatMap((r) => Object.keys(r)))].filter((c) => !records.every((r) => Array.isArray(r[c]) && r[c].length && typeof r[c][0] === 'object'));
  const needle = search.toLowerCase();
  const matching = needle ? records.filter((r) => JSON.stringify(r).toLowerCase().includes(needle)) : records;
  const shown = matching.slice(0, 200);
  return el('section', { class: 'records' },
    el('h2', { text: `${path} (${matching.length}${needle ? ' of ' + records.length : ''})` }),
    el('div', { class: 'scroll' }, el('table', {},
      el('thead', {}, el('tr', {}, columns.map((c) => el('th', { text: c })))),
      el('tbody', {}, shown.map((r) => el('tr', {}, columns.map((c) => el('td', { text: brief(r[c]) }))))))),
    matching.length > shown.length ? el('p', { class: 'hint', text: `first ${shown.length} shown; search to narrow` }) : null);
}

async function data() {
  const pick = $('#data-pick');
  const vendorSelect = $('select[name=vendor]', pick);
  const vendors = await api('GET', withSandbox('/vendors'));
  vendorSelect.replaceChildren(...vendors.map((v) => el('option', { value: v.id, text: v.name })));
  const wanted = params.get('vendor');
  if (wanted) vendorSelect.value = wanted;
  let tables = [];

  function draw() {
    const search = $('input[name=search]', pick).value;
    $('#tables').replaceChildren(...tables.map((t) => renderTable(t, search)));
  }

  async function load() {
    const id = vendorSelect.value;
    const [state, settings] = await Promise.all([
      api('GET', withSandbox(`/vendors/${encodeURIComponent(id)}/state`)),
      api('GET', withSandbox(`/vendors/${encodeURIComponent(id)}/settings`)),
    ]);
    tables = tablesOf(state);
    draw();
    $('#settings textarea').value = JSON.stringify(settings, null, 2);
    $('#settings-error').textContent = '';
    $('#settings-saved').textContent = '';
  }

  vendorSelect.addEventListener('change', load);
  $('input[name=search]', pick).addEventListener('input', draw);
  pick.addEventListener('submit', (event) => event.preventDefault());
  const settingsForm = $('#settings');
  settingsForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearError(settingsForm);
    $('#settings-saved').textContent = '';
    let patch;
    try {
      patch = JSON.parse($('textarea', settingsForm).value);
    } catch (error) {
      return fail(settingsForm, 'not JSON: ' + error.message);
    }
    try {
      const saved = await api('PATCH', withSandbox(`/vendors/${encodeURIComponent(vendorSelect.value)}/settings`), patch);
      $('textarea', settingsForm).value = JSON.stringify(saved, null, 2);
      $('#settings-saved').textContent = 'saved';
      say('Settings saved');
      tables = tablesOf(await api('GET', withSandbox(`/vendors/${encodeURIComponent(vendorSelect.value)}/state`)));
      draw();
    } catch (error) {
      fail(settingsForm, error.message);
    }
  });
  await load();
}

// ---- Credentials, with copy buttons.

async function copy(text, button) {
  try {
    await navigator.clipboard.writeText(text);
  } catch (_) {
    const area = el('textarea', { class: 'offscreen' });
    area.value = text;
    document.body.append(area);
    area.select();
    document.execCommand('copy');
    area.remove();
  }
  button.textContent = 'Copied';
  setTimeout(() => { button.textContent = 'Copy'; }, 1500);
}

async function credentials() {
  const all = await api('GET', withSandbox('/credentials'));
  const list = [];
  for (const [vendor, identities] of Object.entries(all)) {
    for (const [identity, credential] of Object.entries(identities)) {
      const value = credential.authorization || '';
      list.push(el('tr', {},
        el('td', { text: vendor }),
        el('td', { text: identity }),
        el('td', {}, el('code', { text: value })),
        el('td', {}, value ? el('button', { type: 'button', text: 'Copy', onclick: (event) => copy(value, event.target) }) : null)));
    }
  }
  rows($('#credentials'), list);
}

// ---- Workforce: people, the event log, and time moving them.

async function workforce() {
  const form = $('#workforce-advance');
  const records = (map) => Object.entries(map || {}).map(([vendor, r]) => `${vendor}: ${r.id}`).join(', ');
  const touched = (list) => (list || []).map((r) => `${r.vendor}: ${r.id}`).join(', ');

  async function load() {
    const [view, clock] = await Promise.all([api('GET', withSandbox('/workforce')), api('GET', withSandbox('/clock'))]);
    const s = view.settings;
    const c = view.counts;
    $('#workforce-now').textContent = clock.now;
    $('#workforce-summary').textContent = `Per month per 100 people: ${s.hires_per_month} hires, ${s.changes_per_month} changes, `
      + `${s.terminations_per_month} terminations, ${s.rehires_per_month} rehires; shared: ${s.shared}. `
      + `Active ${c.active} of ${view.people} people (start ${c.start}, hired ${c.hires}, rehired ${c.rehires}, left ${c.terminations}); `
      + `${view.pending.length} pending.`;
    const after = Math.max(0, view.events.last_seq - 100);
    const [people, log] = await Promise.all([
      api('GET', withSandbox('/workforce/people?limit=100')),
      api('GET', withSandbox(`/workforce/events?after=${after}&limit=100`)),
    ]);
    rows($('#workforce-events'), log.events.slice().reverse().map((e) => el('tr', { 'data-seq': e.seq },
      el('td', { text: e.seq }), el('td', { text: e.at }), el('td', { text: e.kind }), el('td', { text: e.origin }),
      el('td', { text: e.person }), el('td', { text: e.field ? `${e.field}: ${brief(e.from)} → ${brief(e.to)}` : '' }),
      el('td', { text: e.effective_date || '' }), el('td', { text: touched(e.records) }))));
    rows($('#workforce-people'), people.people.map((p) => el('tr', { 'data-person': p.id },
      el('td', { text: p.id }), el('td', { text: `${p.given_name} ${p.family_name}` }), el('td', { text: p.work_email }),
      el('td', { text: p.department }), el('td', { text: p.title }), el('td', { text: p.manager || '' }),
      el('td', { text: p.termination_date ? `${p.status} (last day ${p.termination_date})` : p.status }),
      el('td', { text: records(p.records) }))));
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearError(form);
    const seconds = parseDuration(new FormData(form).get('duration'));
    if (seconds === null) return fail(form, 'durations look like 90s, 15m, 2h, 1d or 1h30m');
    try {
      await api('POST', withSandbox('/clock'), { advance_seconds: seconds });
      await load();
      say(`Advanced ${seconds} s`);
    } catch (error) {
      fail(form, error.message);
    }
  });
  await load();
}

// ---- Start.

const PAGES = { overview, traffic, scenarios, data, workforce, credentials };

setupShell().then(() => (PAGES[document.body.dataset.page] || overview)()).catch((error) => say(error.message, true));
