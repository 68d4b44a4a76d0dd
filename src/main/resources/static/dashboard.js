// Tailor's dashboard: plain JavaScript against the HTTP API (docs/API.md); Chart.js is served by Tailor itself.
'use strict';

const $ = (id) => document.getElementById(id);
const esc = (s) => String(s ?? '').replace(/[&<>"']/g,
    (c) => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}[c]));
const TOKEN_KEY = 'tailor-token';
const state = {token: sessionStorage.getItem(TOKEN_KEY) || '', apps: [], targets: [], charts: {}, shownBuild: null};

/** A refused request: the problem document's detail (and errors) when the server sent one. */
class ApiError extends Error {
  constructor(response, problem) {
    super(problem && problem.detail ? problem.detail : response.status + ' ' + (response.statusText || 'error'));
    this.status = response.status;
    this.problem = problem || {};
  }
}

function say(message) {
  $('status').textContent = message;
}

async function api(path, options = {}) {
  const headers = Object.assign({}, options.headers);
  if (state.token && options.auth !== false) headers.Authorization = 'Bearer ' + state.token;
  const response = await fetch(path, Object.assign({}, options, {headers}));
  if (!response.ok) {
    let problem = null;
    try { problem = await response.json(); } catch (e) { /* not a problem document */ }
    throw new ApiError(response, problem);
  }
  if (options.raw) return response;
  return response.status === 204 ? null : response.json();
}

/** The problem's detail, then each of its errors (manifest.invalid lists every one). */
function showProblem(element, error) {
  const p = error.problem || {};
  let html = '<p>' + esc(error.message) + (p.code ? ' <code>(' + esc(p.code) + ')</code>' : '') + '</p>';
  if (Array.isArray(p.errors) && p.errors.length) {
    html += '<ul>' + p.errors.map((e) => '<li>' + esc(typeof e === 'string' ? e : JSON.stringify(e)) + '</li>').join('') + '</ul>';
  }
  element.innerHTML = html;
}

const shortDigest = (d) => d ? '<code title="' + esc(d) + '">' + esc(String(d).slice(7, 19)) + '</code>' : '';
const when = (t) => t ? '<time datetime="' + esc(t) + '">' + esc(new Date(t).toLocaleString()) + '</time>' : '';
const statusBadge = (s) => '<span class="st-' + esc(s) + '">' + esc(s) + '</span>';

function table(caption, rows, columns) {
  if (!rows.length) return '<p class="muted">' + esc(caption) + ': none.</p>';
  return '<table><caption>' + esc(caption) + '</caption><thead><tr>' +
      columns.map((c) => '<th scope="col">' + esc(c[0]) + '</th>').join('') + '</tr></thead><tbody>' +
      rows.map((r) => '<tr>' + columns.map((c) => '<td>' + c[1](r) + '</td>').join('') + '</tr>').join('') +
      '</tbody></table>';
}

// ---- signing in -------------------------------------------------------------------------------------------------

async function signIn(token) {
  state.token = token;
  $('signin-error').textContent = '';
  try {
    await loadApps();
  } catch (e) {
    state.token = '';
    sessionStorage.removeItem(TOKEN_KEY);
    $('signin-error').textContent = 'Sign-in failed: ' + e.message;
    $('app-list').textContent = 'Sign in to see your apps.';
    $('signout').hidden = true;
    say('Not signed in');
    return false;
  }
  sessionStorage.setItem(TOKEN_KEY, token);
  $('signout').hidden = false;
  say('Signed in');
  loadBuilds().catch((e) => say('Builds: ' + e.message));
  loadFleet(false).catch((e) => say('Fleet: ' + e.message));
  return true;
}

$('signin').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const token = $('token').value.trim();
  if (!token) {
    $('signin-error').textContent = 'Enter a token: the admin token is in the data directory (cache/admin-token).';
    return;
  }
  signIn(token);
});

$('signout').addEventListener('click', () => {
  state.token = '';
  sessionStorage.removeItem(TOKEN_KEY);
  $('token').value = '';
  $('signout').hidden = true;
  $('app-list').textContent = 'Sign in to see your apps.';
  $('build-list').textContent = 'Sign in to see builds.';
  say('Signed out');
});

// ---- apps, channels, uploads, releases ----------------------------------------------------------------------------

async function loadApps() {
  const apps = await api('/v1/apps');
  const histories = await Promise.all(apps.map((a) => Promise.all(a.channels.map((c) =>
      api('/v1/apps/' + encodeURIComponent(a.app) + '/channels/' + encodeURIComponent(c.channel))
          .catch(() => Object.assign({history: []}, c))))));
  state.apps = apps;
  $('app-list').classList.remove('muted');
  $('app-list').innerHTML = apps.length ? apps.map((a, i) => '<article class="card app" data-app="' + esc(a.app) + '">' +
      '<h3>' + esc(a.app) + '</h3>' +
      (a.channels.length ? histories[i].map((ch) => '<div class="channel" data-channel="' + esc(ch.channel) + '">' +
          '<h4>Channel ' + esc(ch.channel) + ' → ' + shortDigest(ch.bundle) + '</h4>' +
          table('Release history of ' + a.app + '/' + ch.channel, ch.history || [], [
            ['bundle', (h) => '<code>' + esc(h.bundle) + '</code>'],
            ['released at', (h) => when(h.releasedAt)],
            ['by', (h) => esc(h.by)]]) + '</div>').join('')
          : '<p class="muted">No channel yet: release a bundle below.</p>') +
      '</article>').join('') : '<p class="muted">No apps yet: upload a bundle below.</p>';
  fillAppChoices();
}

function fillAppChoices() {
  const select = $('fleet-app');
  const chosen = select.value;
  select.innerHTML = state.apps.map((a) => '<option>' + esc(a.app) + '</option>').join('');
  if (state.apps.some((a) => a.app === chosen)) select.value = chosen;
  fillChannelChoices();
}

function fillChannelChoices() {
  const app = state.apps.find((a) => a.app === $('fleet-app').value);
  const select = $('fleet-channel');
  const chosen = select.value;
  select.innerHTML = (app ? app.channels : []).map((c) => '<option>' + esc(c.channel) + '</option>').join('');
  if (app && app.channels.some((c) => c.channel === chosen)) select.value = chosen;
}

const ARCHIVE_TYPES = [[/\.(tar\.gz|tgz)$/i, 'application/gzip'], [/\.tar$/i, 'application/x-tar'],
  [/\.zip$/i, 'application/zip']];

function archiveType(name) {
  const known = ARCHIVE_TYPES.find(([pattern]) => pattern.test(name));
  return known ? known[1] : null;
}

let droppedFile = null;

async function upload(file) {
  const app = $('upload-app').value.trim();
  $('upload-error').textContent = '';
  $('upload-result').textContent = '';
  if (!app) {
    $('upload-error').textContent = 'Enter the app the bundle is for.';
    $('upload-app').focus();
    return;
  }
  if (!file) {
    $('upload-error').textContent = 'Choose or drop a bundle archive first.';
    return;
  }
  const type = archiveType(file.name);
  if (!type) {
    $('upload-error').textContent = file.name + ' is not a .tar.gz, .tar or .zip.';
    return;
  }
  say('Uploading ' + file.name + '…');
  try {
    const doc = await api('/v1/apps/' + encodeURIComponent(app) + '/bundles',
        {method: 'POST', body: file, headers: {'Content-Type': type}});
    $('upload-result').innerHTML = '<p>Uploaded <strong>' + esc(doc.app) + '</strong> ' + esc(doc.manifest && doc.manifest.version) +
        ': <code id="uploaded-digest">' + esc(doc.digest) + '</code> (' + esc(doc.files) + ' files, ' + esc(doc.size) + ' bytes)</p>';
    $('release-app').value = doc.app;
    $('release-bundle').value = doc.digest;
    $('build-app').value = doc.app;
    say('Uploaded ' + file.name + ' as ' + doc.digest);
    await loadApps();
    return true;
  } catch (e) {
    showProblem($('upload-error'), e);
    say('Upload refused: ' + e.message);
    return false;
  }
}

$('upload').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const chosen = $('upload-file').files[0];
  upload(chosen || droppedFile);
});
$('upload-file').addEventListener('change', () => { droppedFile = null; });

const dropzone = $('dropzone');
['dragenter', 'dragover'].forEach((t) => dropzone.addEventListener(t, (ev) => {
  ev.preventDefault();
  dropzone.classList.add('over');
}));
['dragleave', 'drop'].forEach((t) => dropzone.addEventListener(t, () => dropzone.classList.remove('over')));
dropzone.addEventListener('drop', (ev) => {
  ev.preventDefault();
  const file = ev.dataTransfer.files[0];
  if (!file) return;
  droppedFile = file;
  $('upload-file').value = '';
  dropzone.textContent = file.name + ' dropped: uploading.';
  upload(file).then((ok) => {
    dropzone.textContent = file.name + (ok ? ' uploaded' : ' was not uploaded (see below)') + '. Drop another here.';
  });
});

$('release').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const app = $('release-app').value.trim();
  const channel = $('release-channel').value.trim();
  $('release-error').textContent = '';
  try {
    const doc = await api('/v1/apps/' + encodeURIComponent(app) + '/channels/' + encodeURIComponent(channel), {
      method: 'PUT', headers: {'Content-Type': 'application/json'},
      body: JSON.stringify({bundle: $('release-bundle').value.trim()})});
    say('Released ' + doc.bundle + ' to ' + doc.app + '/' + doc.channel);
    await loadApps();
  } catch (e) {
    showProblem($('release-error'), e);
    say('Release refused: ' + e.message);
  }
});

// ---- builds -------------------------------------------------------------------------------------------------------

const FINAL = new Set(['succeeded', 'failed']);

async function loadBuilds() {
  const builds = await api('/v1/builds?limit=50');
  $('build-list').classList.remove('muted');
  $('build-list').innerHTML = table('Recent builds, newest first', builds, [
    ['status', (b) => statusBadge(b.status)],
    ['app', (b) => esc(b.app)],
    ['target', (b) => '<code>' + esc(b.target) + '</code>'],
    ['flavor', (b) => esc(b.flavor)],
    ['queued', (b) => when(b.queuedAt)],
    ['started', (b) => when(b.startedAt)],
    ['finished', (b) => when(b.finishedAt)],
    ['ms', (b) => esc(b.durationMs)],
    ['details', (b) => '<button type="button" class="secondary" data-build="' + esc(b.id) + '" aria-label="Show build ' +
        esc(b.app) + ' ' + esc(b.target) + ' ' + esc(b.id.slice(0, 8)) + '">Show</button>']]);
}

$('build-list').addEventListener('click', (ev) => {
  const button = ev.target.closest('button[data-build]');
  if (button) showBuild(button.dataset.build);
});
$('builds-refresh').addEventListener('click', () => loadBuilds().then(() => say('Builds refreshed'),
    (e) => say('Builds: ' + e.message)));

$('build-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  $('build-error').textContent = '';
  try {
    const response = await api('/v1/builds?wait=0', {method: 'POST', headers: {'Content-Type': 'application/json'},
      body: JSON.stringify({app: $('build-app').value.trim(), channel: $('build-channel').value.trim(),
        target: $('build-target').value}), raw: true});
    const record = await response.json();
    say('Build ' + record.id.slice(0, 12) + ' ' + record.status);
    await showBuild(record.id);
  } catch (e) {
    showProblem($('build-error'), e);
    say('Build refused: ' + e.message);
  }
});

function renderBuildFacts(b) {
  const facts = [['Status', '<span id="build-status">' + statusBadge(b.status) + '</span>'], ['App', esc(b.app)],
    ['Bundle', '<code>' + esc(b.bundle) + '</code>'], ['Target', '<code>' + esc(b.target) + '</code>'],
    ['Flavor', esc(b.flavor)], ['Toolchain', esc(b.toolchain)], ['Queued', when(b.queuedAt)],
    ['Started', when(b.startedAt)], ['Finished', when(b.finishedAt)],
    ['Duration', b.durationMs == null ? '' : esc(b.durationMs) + ' ms']];
  if (b.image) facts.push(['Image', '<a href="' + esc(b.image.url) + '">' + shortDigest(b.image.digest) + '</a> (' + esc(b.image.size) + ' bytes)']);
  if (b.error) facts.push(['Error', '<code>' + esc(b.error.code) + '</code> ' + esc(b.error.detail)]);
  $('build-facts').innerHTML = facts.map(([k, v]) => '<dt>' + k + '</dt><dd>' + v + '</dd>').join('');
}

async function showBuild(id) {
  state.shownBuild = id;
  const panel = $('build-detail');
  panel.hidden = false;
  $('build-title').textContent = 'Build ' + id.slice(0, 12);
  $('build-log').textContent = '';
  $('build-log-mode').textContent = '';
  $('build-diagnostics').innerHTML = '';
  let record = await api('/v1/builds/' + id);
  renderBuildFacts(record);
  panel.scrollIntoView({block: 'nearest'});
  const log = $('build-log');
  const append = (line) => {
    if (state.shownBuild !== id) return;
    log.textContent += line + '\n';
    log.scrollTop = log.scrollHeight;
  };
  // While it runs here the log streams (server-sent events); queued, it is not there yet: ask again shortly.
  for (;;) {
    const outcome = await readLog(id, append);
    if (state.shownBuild !== id) return;
    record = await api('/v1/builds/' + id);
    if (outcome.live || FINAL.has(record.status)) {
      if (outcome.live) $('build-log-mode').textContent = '(streamed live, ended: ' + outcome.end + ')';
      else $('build-log-mode').textContent = '(complete)';
      if (!outcome.live) { log.textContent = ''; outcome.lines.forEach(append); }
      if (FINAL.has(record.status)) break;
    } else {
      $('build-log-mode').textContent = '(' + record.status + ', waiting for the log)';
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  renderBuildFacts(record);
  say('Build ' + id.slice(0, 12) + ' ' + record.status);
  if (record.status === 'failed' && record.error && record.error.diagnostics && record.error.diagnostics.length) {
    await showDiagnostics(record);
  }
  loadBuilds().catch(() => {});
}

/**
 * Reads a build's log: server-sent events while it runs (EventSource cannot send the token, so fetch reads the
 * stream and {@link sseParser} splits it), the whole text afterwards.
 */
async function readLog(id, onLine) {
  const response = await api('/v1/builds/' + id + '/log',
      {headers: {Accept: 'text/event-stream, text/plain'}, raw: true});
  const type = response.headers.get('Content-Type') || '';
  if (!type.startsWith('text/event-stream')) {
    const text = await response.text();
    const lines = text.replace(/\n$/, '').split('\n').filter((l, i, all) => l !== '' || all.length > 1);
    return {live: false, lines: text === '' ? [] : lines};
  }
  let end = 'unknown';
  const parser = sseParser((event) => {
    if (event.event === 'log') onLine(event.data);
    else if (event.event === 'end') end = event.data;
  });
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  for (;;) {
    const {value, done} = await reader.read();
    if (done) break;
    parser.push(value);
  }
  parser.end();
  return {live: true, end};
}

/** A small server-sent events parser (the event and data fields; comments and ids ignored). */
function sseParser(onEvent) {
  let buffer = '';
  let event = 'message';
  let data = [];
  const line = (l) => {
    if (l === '') {
      if (data.length) onEvent({event, data: data.join('\n')});
      event = 'message';
      data = [];
      return;
    }
    if (l.startsWith(':')) return;
    const colon = l.indexOf(':');
    const field = colon < 0 ? l : l.slice(0, colon);
    let value = colon < 0 ? '' : l.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  };
  return {
    push(chunk) {
      buffer += chunk;
      let i;
      while ((i = buffer.indexOf('\n')) >= 0) {
        line(buffer.slice(0, i).replace(/\r$/, ''));
        buffer = buffer.slice(i + 1);
      }
    },
    end() {
      if (buffer) line(buffer);
      buffer = '';
      line('');
    },
  };
}

/** The files of an uncompressed tar: 512-byte headers (name at 0, size in octal at 124), contents padded to 512. */
function untar(bytes) {
  const files = new Map();
  const decoder = new TextDecoder();
  const field = (at, length) => decoder.decode(bytes.subarray(at, at + length)).replace(/\0.*$/s, '');
  let longName = null;
  for (let at = 0; at + 512 <= bytes.length;) {
    if (bytes[at] === 0) break;
    const size = parseInt(field(at + 124, 12).trim() || '0', 8);
    const type = String.fromCharCode(bytes[at + 156]);
    const prefix = field(at + 345, 155);
    let name = longName || (prefix ? prefix + '/' : '') + field(at, 100);
    longName = null;
    const body = bytes.subarray(at + 512, at + 512 + size);
    if (type === 'L') longName = decoder.decode(body).replace(/\0.*$/s, '');
    else if (type === 'x') {
      const path = /\d+ path=([^\n]*)\n/.exec(decoder.decode(body));
      if (path) longName = path[1];
    } else if (type === '0' || type === '\0') files.set(name.replace(/^\.\//, ''), body);
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

async function showDiagnostics(record) {
  const box = $('build-diagnostics');
  let files = new Map();
  try {
    const hex = String(record.bundle).replace(/^sha256:/, '');
    const response = await api('/v1/apps/' + encodeURIComponent(record.app) + '/bundles/sha256/' + hex + '/archive',
        {raw: true});
    files = untar(new Uint8Array(await response.arrayBuffer()));
  } catch (e) {
    say('The bundle\'s sources could not be read: ' + e.message);
  }
  const decoder = new TextDecoder();
  box.innerHTML = '<h4>Diagnostics</h4>' + record.error.diagnostics.map((d) => {
    const where = [d.file, d.line, d.column].filter((x) => x != null).join(':');
    const file = files.get(d.file);
    let source = '';
    if (file && d.line) {
      const text = decoder.decode(file).split('\n')[d.line - 1];
      if (text != null) {
        const caret = d.column ? text.slice(0, d.column - 1).replace(/[^\t]/g, ' ') + '^' : '';
        source = '<pre aria-label="Source line ' + esc(d.line) + ' of ' + esc(d.file) + '">' +
            esc(String(d.line).padStart(5) + ' | ' + text) + (caret ? '\n' + esc('      | ' + caret) : '') + '</pre>';
      }
    }
    return '<div class="diagnostic"><code>' + esc(where + ': ' + d.severity + ': ' + d.message) + '</code>' + source + '</div>';
  }).join('');
}

// ---- fleet charts -------------------------------------------------------------------------------------------------

const COLOURS = ['#1547b8', '#b54708', '#146c2e', '#7a2e9e', '#b42318', '#0e7490', '#4f5666'];

function draw(id, config) {
  if (state.charts[id]) state.charts[id].destroy();
  state.charts[id] = new Chart($(id), Object.assign({options: {}}, config, {
    options: Object.assign({responsive: true, maintainAspectRatio: false, animation: false}, config.options)}));
}

async function loadFleet(announce) {
  const app = $('fleet-app').value;
  if (!app) return;
  const channel = $('fleet-channel').value;
  const base = '/v1/apps/' + encodeURIComponent(app);
  const [stats, timeline] = await Promise.all([api(base + '/stats/targets?limit=20'), api(base + '/stats/timeline')]);
  $('chart-targets-empty').hidden = stats.targets.length > 0;
  draw('chart-targets', {type: 'bar', data: {labels: stats.targets.map((t) => t.target),
    datasets: [{label: 'devices resolved', data: stats.targets.map((t) => t.count), backgroundColor: COLOURS[0]}]},
  options: {indexAxis: 'y', plugins: {legend: {display: false}}}});
  draw('chart-timeline', {type: 'line', data: {
    labels: timeline.points.map((p) => new Date(p.at).toLocaleTimeString([], {hour: '2-digit', minute: '2-digit'})),
    datasets: [
      {label: 'images served', data: timeline.points.map((p) => p.imagesServed), borderColor: COLOURS[0], backgroundColor: COLOURS[0]},
      {label: 'boot answers', data: timeline.points.map((p) => p.bootAnswers), borderColor: COLOURS[2], backgroundColor: COLOURS[2], borderDash: [6, 3]},
      {label: 'edge purges', data: timeline.points.map((p) => p.edgePurges), borderColor: COLOURS[1], backgroundColor: COLOURS[1], stepped: true}]},
  options: {scales: {y: {beginAtZero: true, ticks: {precision: 0}}}}});
  await loadPayoff(base, channel);
  if (announce) say('Fleet of ' + app + (channel ? ' (' + channel + ')' : '') + ' shown');
}

async function loadPayoff(base, channel) {
  const empty = $('chart-payoff-empty');
  const box = $('chart-payoff-box');
  const notMeasured = (text) => {
    if (state.charts['chart-payoff']) { state.charts['chart-payoff'].destroy(); delete state.charts['chart-payoff']; }
    box.hidden = true;
    empty.hidden = false;
    empty.textContent = text;
  };
  if (!channel) return notMeasured('Not measured: the app has no channel yet.');
  try {
    const report = await api(base + '/payoff?channel=' + encodeURIComponent(channel));
    const results = report.results.filter((r) => r.speedupVsBaseline != null);
    if (!results.length) return notMeasured('Not measured: no rung was timed.');
    box.hidden = false;
    empty.hidden = true;
    draw('chart-payoff', {type: 'bar', data: {labels: results.map((r) => r.target),
      datasets: [{label: 'speedup vs baseline (×)', data: results.map((r) => r.speedupVsBaseline), backgroundColor: COLOURS[2]}]},
    options: {plugins: {legend: {display: false}}, scales: {y: {beginAtZero: true}}}});
  } catch (e) {
    if (e.status === 404) return notMeasured('Not measured' + (e.problem.code === 'payoff.not_measured' ? '' : ': ' + e.message) + '.');
    throw e;
  }
}

$('fleet-app').addEventListener('change', fillChannelChoices);
$('fleet-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  loadFleet(true).catch((e) => say('Fleet: ' + e.message));
});

// ---- catalog: ladders and the resolver ----------------------------------------------------------------------------

function renderLadders(targets) {
  const byId = new Map(targets.map((t) => [t.id, t]));
  const children = new Map();
  targets.forEach((t) => {
    const key = t.parent && byId.has(t.parent) ? t.parent : null;
    if (!children.has(key)) children.set(key, []);
    children.get(key).push(t);
  });
  const node = (t) => {
    const parent = byId.get(t.parent);
    const inherited = new Set(parent ? parent.features : []);
    const adds = t.features.filter((f) => !inherited.has(f));
    const kids = children.get(t.id) || [];
    return '<li data-target="' + esc(t.id) + '"><span class="rung policy-' + esc(t.policy) + '">' + esc(t.id) + '</span>' +
        (t.policy === 'native' ? ' <span class="adds">(named CPU)</span>' : '') +
        ' <span class="adds">' + (parent ? (adds.length ? '+ ' + esc(adds.join(' ')) : 'adds no feature') :
          'baseline' + (t.features.length ? ': ' + esc(t.features.join(' ')) : '')) + '</span>' +
        (kids.length ? '<ul>' + kids.map(node).join('') + '</ul>' : '') + '</li>';
  };
  const roots = children.get(null) || [];
  const arches = [...new Set(roots.map((t) => t.arch))];
  $('ladders').innerHTML = arches.map((arch) => '<div class="card ladder" data-arch="' + esc(arch) + '"><h4>' + esc(arch) + '</h4>' +
      '<ul class="tree">' + roots.filter((t) => t.arch === arch).map(node).join('') + '</ul></div>').join('');
}

async function loadCatalog() {
  const targets = await api('/v1/targets', {auth: false});
  state.targets = targets;
  renderLadders(targets);
  $('build-target').innerHTML = targets.map((t) => '<option' + (t.id === 'x86_64-v1' ? ' selected' : '') + '>' +
      esc(t.id) + '</option>').join('');
}

$('resolver').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const text = $('fp').value.trim();
  const policy = $('policy').value;
  const out = $('resolved');
  const compact = /^[a-z0-9_]+(@[^:\s]*)?:[a-z0-9_.,]*$/i.test(text);
  try {
    const r = await api('/v1/fingerprints/resolve?policy=' + encodeURIComponent(policy) +
        (compact ? '&cpu=' + encodeURIComponent(text) : ''), {method: 'POST', auth: false,
      body: compact ? undefined : text,
      headers: compact ? {} : {'Content-Type': text.startsWith('{') ? 'application/json' : 'text/plain'}});
    out.innerHTML = '<h4>Target <code id="resolved-target">' + esc(r.target.id) + '</code></h4>' +
        '<p>' + esc(r.arch) + ' ' + esc(r.vendor || '') + ' ' + esc(r.model || '') + ', policy ' + esc(r.policy) + '</p>' +
        '<h4>Why</h4><ul id="resolved-reasons">' + r.reasons.map((x) => '<li>' + esc(x) + '</li>').join('') + '</ul>' +
        '<h4>Next rung</h4>' + (r.next ? '<p id="resolved-next"><code>' + esc(r.next.id) + '</code> needs ' +
          r.next.missing.map((m) => '<code>' + esc(m) + '</code>').join(', ') + '</p>' : '<p id="resolved-next">None: this is the top.</p>') +
        '<p class="muted">Canonical fingerprint: <code>' + esc(r.canonical) + '</code></p>';
    say('Resolved to ' + r.target.id);
  } catch (e) {
    showProblem(out, e);
    out.classList.add('error');
    say('Resolve refused: ' + e.message);
    return;
  }
  out.classList.remove('error');
});

// ---- start ------------------------------------------------------------------------------------------------------

fetch('/actuator/health').then((r) => r.json()).then((h) => { $('health').textContent = 'health: ' + h.status; },
    () => { $('health').textContent = 'health: unknown'; });
loadCatalog().catch((e) => { $('ladders').textContent = 'The catalog could not be read: ' + e.message; });
if (state.token) {
  $('token').value = state.token;
  signIn(state.token);
}
window.tailorDashboard = {sseParser, untar, archiveType};
