// The supervisor view: GET /api/agent/supervisor/summary, shown as cards.
// Signed in with the console's agent token (this tab's sessionStorage, or
// #token=… in the URL). Everything reaches the page through textContent.

import { reasonText } from './format.js';

const TOKEN_KEY = 'switchboard.console.token';
const REFRESH_MS = 30000;
const $ = (id) => document.getElementById(id);

function readToken() {
  const fragment = new URLSearchParams(location.hash.slice(1)).get('token');
  if (fragment) {
    history.replaceState(null, '', location.pathname + location.search);
    try { sessionStorage.setItem(TOKEN_KEY, fragment.trim()); } catch { /* kept for this page only */ }
    return fragment.trim();
  }
  try { return sessionStorage.getItem(TOKEN_KEY); } catch { return null; }
}

const token = readToken();
let timer = 0;

const percent = (rate) => (rate === null || rate === undefined ? '–' : `${Math.round(rate * 100)} %`);
function duration(seconds) {
  if (seconds === null || seconds === undefined) return '–';
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${String(Math.round(seconds % 60)).padStart(2, '0')} s`;
  return `${Math.floor(seconds / 3600)} h ${String(Math.round((seconds % 3600) / 60)).padStart(2, '0')} min`;
}

function make(tag, text, className) {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (text !== undefined) el.textContent = String(text);
  return el;
}

function pairs(target, entries) {
  target.replaceChildren(...entries.flatMap(([label, value]) => [make('dt', label), make('dd', value)]));
}

function rows(target, entries, empty) {
  if (entries.length === 0) {
    const row = make('tr');
    const cell = make('td', empty);
    cell.colSpan = 3;
    row.append(cell);
    target.replaceChildren(row);
    return;
  }
  target.replaceChildren(...entries.map((cells) => {
    const row = make('tr');
    row.append(...cells.map((value) => make('td', value)));
    return row;
  }));
}

function showProblem(message) {
  $('problem').textContent = message;
  $('problem').hidden = false;
  $('figures').hidden = true;
}

function render(summary) {
  const { period, conversations, escalations, queueWait, handleTime, csat, live } = summary;
  $('period-text').textContent = period.from === period.to ? `${period.to} (UTC)` : `${period.from} to ${period.to} (UTC)`;
  $('containment-rate').textContent = percent(conversations.containmentRate);
  $('containment-detail').textContent =
    `${conversations.contained} of ${conversations.bot} conversations ended without an agent; ${conversations.escalated} went to the queue.`;

  $('csat-average').textContent = csat.average === null ? '–' : `${csat.average.toFixed(1)} / 5`;
  $('csat-detail').textContent = csat.responses === 0
    ? 'No ratings yet.'
    : `${csat.responses} rating${csat.responses === 1 ? '' : 's'}; ${percent(csat.satisfiedRate)} gave 4 or 5.`;
  const most = Math.max(1, ...Object.values(csat.distribution));
  $('csat-distribution').replaceChildren(...['5', '4', '3', '2', '1'].flatMap((rating) => {
    const count = csat.distribution[rating] ?? 0;
    const bar = make('span', undefined, 'sv-bar');
    bar.style.width = `${(count / most) * 100}%`;
    const holder = make('dd');
    holder.append(bar);
    return [make('dt', `${rating} ★`), holder, make('dd', count)];
  }));

  pairs($('wait'), [
    ['Median', duration(queueWait.p50)],
    ['90th percentile', duration(queueWait.p90)],
    ['95th percentile', duration(queueWait.p95)],
    ['Longest', duration(queueWait.max)],
    ['Conversations', queueWait.samples],
  ]);
  pairs($('handle'), [
    ['Average', duration(handleTime.averageSeconds)],
    ['Median', duration(handleTime.p50)],
    ['90th percentile', duration(handleTime.p90)],
    ['Conversations', handleTime.samples],
  ]);
  rows($('handle-agents'), handleTime.byAgent.map((agent) => [agent.name, agent.conversations, duration(agent.averageSeconds)]), 'No conversation released yet.');
  rows(
    $('reasons'),
    Object.entries(escalations.byReason).filter(([, count]) => count > 0).map(([reason, count]) => [reasonText(reason), count]),
    'No escalations.',
  );
  rows($('intents'), Object.entries(escalations.byIntent).map(([intent, count]) => [intent, count]), 'No escalations.');
  const depth = Object.entries(live.queueDepth);
  pairs($('live'), depth.length ? depth.map(([skill, count]) => [`${skill} queue`, count]) : [['Queues', 'none']]);

  $('problem').hidden = true;
  $('figures').hidden = false;
}

async function load() {
  clearTimeout(timer);
  if (!token) {
    showProblem('Sign in on the console first (this page uses the same agent token).');
    return;
  }
  try {
    const days = $('period').value;
    const res = await fetch(`/api/agent/supervisor/summary?days=${encodeURIComponent(days)}`, {
      headers: { Authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(15000),
    });
    if (res.status === 401) return showProblem('Your token is not accepted any more. Sign in on the console again.');
    if (res.status === 403) return showProblem('This view is for supervisors: your agent does not have the supervisor role.');
    if (!res.ok) throw new Error(String(res.status));
    render(await res.json());
  } catch {
    showProblem('Couldn’t load the figures. Retrying shortly…');
  }
  timer = setTimeout(load, REFRESH_MS);
}

$('period').addEventListener('change', () => void load());
$('refresh').addEventListener('click', () => void load());
void load();
