// Switchboard customer web chat. A plain ES module: no build step, no framework.
// Safety rule for this file: message text only ever reaches the page through
// textContent, so nothing a customer, bot or agent writes is parsed as HTML.

import { readEventStream } from './shared/sse.js';

const API = '/webchat/conversations';
const MAX_CHARS = 4096;
const COUNTER_FROM = 3500;           // the counter is clutter until the limit is close
const STORAGE_KEY = 'switchboard.webchat';
const POLL_MS = 2000;
const BACKOFF_MIN_MS = 1000;
const BACKOFF_MAX_MS = 15000;
const FAILURES_BEFORE_POLLING = 3;
const STALL_MS = 45000;              // the server pings every 15 s; this much silence is a dead link
const REQUEST_TIMEOUT_MS = 15000;
const TYPING_TIMEOUT_MS = 30000;     // a lost "typing: false" must not leave the dots up forever
const LABELS = { customer: 'You', bot: 'Bot', agent: 'Agent', system: 'Notice' };
const STATUS_TEXT = { connecting: 'Connecting…', connected: 'Connected', reconnecting: 'Reconnecting…' };
// A system notice saying a person took over or left ends the wait (the wording is the server's NOTICES).
const WAIT_OVER = /\b(has joined|has taken over|has left)\b/i;

const $ = (id) => document.getElementById(id);
const ui = {
  log: $('log'), welcome: $('welcome'), jump: $('jump'), typing: $('typing'),
  queueBanner: $('queue-banner'), queueText: $('queue-text'),
  status: $('status'), statusText: $('status-text'),
  form: $('composer'), input: $('input'), counter: $('counter'), error: $('error'),
};

const state = {
  session: null,        // { conversationId, token }
  ready: null,          // settles once a conversation exists; sends wait on it
  generation: 0,        // bumped when a conversation is replaced so old loops stop
  lastId: 0,            // highest server message id shown: where streams and polls resume
  shown: new Map(),     // message id -> element, so nothing is ever shown twice
  pending: [],          // optimistic customer messages not yet matched to a server id
  outbox: Promise.resolve(), // sends go one at a time so they keep their order
  abortStream: null,
  polling: null,        // token of the running poll loop, or null
  atBottom: true,       // whether to follow new messages (false once the user scrolls up)
  typingTimer: 0,
};

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const backoff = (failures) => Math.min(BACKOFF_MIN_MS * 2 ** Math.max(0, failures - 1), BACKOFF_MAX_MS);
const charCount = (text) => [...text].length; // code points, as the server counts them

/* ---------- HTTP ---------- */

// 401/404 mean the token no longer opens the conversation (expired, or the server forgot it).
const isGone = (err) => err?.status === 401 || err?.status === 404;

function authHeaders(headers) {
  return state.session ? { ...headers, Authorization: `Bearer ${state.session.token}` } : headers;
}

async function api(path, { method = 'GET', body } = {}) {
  const headers = authHeaders({ Accept: 'application/json' });
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(path, {
    method, headers, cache: 'no-store', signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = await res.json().catch(() => null);
  if (!res.ok) throw Object.assign(new Error(data?.error?.message ?? `HTTP ${res.status}`), { status: res.status, code: data?.error?.code });
  return data;
}

const conversationUrl = (suffix) => `${API}/${encodeURIComponent(state.session.conversationId)}${suffix}`;

/* ---------- Conversation lifecycle ---------- */

// sessionStorage: a reload in this tab continues the chat; a new tab starts its own.
function loadSession() {
  try {
    const saved = JSON.parse(sessionStorage.getItem(STORAGE_KEY));
    return saved?.conversationId && typeof saved.token === 'string' ? saved : null;
  } catch { return null; }
}

function saveSession(session) {
  try {
    if (session) sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
    else sessionStorage.removeItem(STORAGE_KEY);
  } catch { /* storage blocked: the chat still works, it just won't survive a reload */ }
}

// Resume this tab's conversation if the server still knows it, otherwise start a new one.
async function openConversation(gen) {
  for (let failures = 0; gen === state.generation; ) {
    try {
      if (!state.session) {
        // The browser's language starts the conversation's; the bot follows the customer if they write in another.
        const locale = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(navigator.language ?? '') ? navigator.language : undefined;
        const { conversationId, token } = await api(API, { method: 'POST', body: locale ? { locale } : {} });
        state.session = { conversationId, token };
        saveSession(state.session);
      }
      await fetchNewMessages(); // loads the history and proves the token still works
      void streamLoop(gen);
      return;
    } catch (err) {
      if (isGone(err) && state.session) { state.session = null; saveSession(null); continue; }
      setStatus('reconnecting');
      await sleep(backoff(++failures));
    }
  }
}

// The old conversation is gone (e.g. server restart): keep what is on screen, start afresh.
function conversationLost(gen) {
  if (gen !== state.generation) return; // another loop already handled it
  state.generation += 1;
  state.abortStream?.();
  state.polling = null;
  state.session = null;
  saveSession(null);
  state.shown.clear(); // the new conversation numbers its messages from scratch
  state.lastId = 0;
  setTyping(false);
  hidePlaceInLine();
  append(renderMessage({ from: 'system', text: 'Your previous chat has ended. New messages start a new conversation.', at: Date.now() }));
  state.ready = openConversation(state.generation);
}

async function fetchNewMessages() {
  const { messages } = await api(conversationUrl(`/messages?after=${state.lastId}`));
  for (const message of messages) addMessage(message);
}

/* ---------- Live updates: SSE over fetch, with polling as the fallback ---------- */

function onStreamEvent(type, payload) {
  if (type === 'message') addMessage(payload);
  else if (type === 'typing') setTyping(payload?.typing === true);
  else if (type === 'queue') showPlaceInLine(payload);
}

// One stream connection. Resolves when it ends; true if it delivered anything.
async function streamOnce(gen) {
  const controller = new AbortController();
  state.abortStream = () => controller.abort();
  const { status, delivered } = await readEventStream(conversationUrl(`/stream?after=${state.lastId}`), {
    headers: authHeaders(),
    signal: controller.signal,
    stallMs: STALL_MS,
    onOpen: () => {
      setStatus('connected');
      state.polling = null; // the stream works: stop polling
    },
    onEvent: (type, payload) => {
      if (gen === state.generation) onStreamEvent(type, payload);
      else controller.abort();
    },
  });
  if (status === 401 || status === 404) conversationLost(gen);
  return delivered;
}

// Keeps a stream open for as long as this conversation lasts, reconnecting with backoff.
// The stream resumes after state.lastId, so nothing is missed across reconnects.
async function streamLoop(gen) {
  let failures = 0;
  while (gen === state.generation) {
    failures = (await streamOnce(gen)) ? 0 : failures + 1;
    if (gen !== state.generation) return;
    setTyping(false);
    if (failures >= FAILURES_BEFORE_POLLING) startPolling(gen);
    if (!state.polling) setStatus('reconnecting');
    await sleep(backoff(Math.max(failures, 1)));
  }
}

// Runs alongside the stream retries until the stream delivers again.
async function startPolling(gen) {
  if (state.polling) return;
  const run = (state.polling = {});
  while (state.polling === run && gen === state.generation) {
    try {
      await fetchNewMessages();
      setStatus('connected');
    } catch (err) {
      if (isGone(err)) return conversationLost(gen);
      setStatus('reconnecting');
    }
    await sleep(POLL_MS);
  }
}

/* ---------- Rendering ---------- */

function make(tag, className, text) {
  const el = document.createElement(tag);
  el.className = className;
  if (text) el.textContent = text; // never innerHTML: text stays text
  return el;
}

function formatTime(ms) {
  const date = new Date(ms);
  return `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
}

function setTime(el, at) {
  const time = el.querySelector('time');
  const date = new Date(Number.isFinite(at) ? at : Date.now());
  time.dateTime = date.toISOString();
  time.title = date.toLocaleString();
  time.textContent = formatTime(date);
  el.classList.remove('is-sending');
}

function renderMessage({ from, text, at }, sending = false) {
  const kind = Object.hasOwn(LABELS, from) ? from : 'bot';
  const el = make('div', `msg msg--${kind}`);
  // Agents are named on screen; everyone else is named for screen readers only.
  const visible = kind === 'agent';
  el.append(make('span', visible ? 'msg__who' : 'msg__who visually-hidden', visible ? LABELS[kind] : `${LABELS[kind]}:`));
  el.append(make('p', 'msg__text', text));
  el.append(make('time', 'msg__time'));
  setTime(el, at);
  if (sending) {
    el.classList.add('is-sending');
    el.querySelector('time').textContent = 'Sending…';
  }
  return el;
}

const isNearBottom = () => ui.log.scrollHeight - ui.log.scrollTop - ui.log.clientHeight < 64;

function scrollToBottom() {
  ui.log.scrollTop = ui.log.scrollHeight;
  state.atBottom = true;
  ui.jump.hidden = true;
}

// Follow the conversation unless the user scrolled up to read; then offer a way back.
function append(el, force = false) {
  ui.welcome.hidden = true;
  ui.log.append(el);
  if (force || state.atBottom) scrollToBottom();
  else ui.jump.hidden = false;
}

function addMessage(msg) {
  if (!Number.isFinite(msg?.id) || typeof msg.text !== 'string') return;
  state.lastId = Math.max(state.lastId, msg.id);
  if (msg.from === 'bot' || msg.from === 'agent') setTyping(false);
  if (msg.from === 'bot' || msg.from === 'agent' || (msg.from === 'system' && WAIT_OVER.test(msg.text))) hidePlaceInLine();
  const known = state.shown.get(msg.id);
  if (known) return setTime(known, msg.at); // our optimistic copy, or a repeat after a reconnect
  // Our own message can arrive on the stream before its POST returns: claim the bubble.
  const index = msg.from === 'customer' ? state.pending.findIndex((p) => p.text === msg.text) : -1;
  if (index !== -1) {
    const [mine] = state.pending.splice(index, 1);
    state.shown.set(msg.id, mine.el);
    return setTime(mine.el, msg.at);
  }
  const el = renderMessage(msg);
  state.shown.set(msg.id, el);
  append(el);
}

function setTyping(on) {
  clearTimeout(state.typingTimer);
  ui.typing.hidden = !on;
  if (on) state.typingTimer = setTimeout(() => setTyping(false), TYPING_TIMEOUT_MS);
}

/* ---------- Waiting for a person ---------- */

// The stream sends `queue` events while the customer waits for an agent; the
// banner stays until someone (agent or bot) talks again or an agent joins.
function showPlaceInLine({ position, estimatedWaitMs } = {}) {
  if (!Number.isInteger(position) || position < 1) return hidePlaceInLine();
  let text = `You’re number ${position} in line`;
  if (Number.isFinite(estimatedWaitMs)) {
    text += estimatedWaitMs < 60000 ? ' · less than a minute' : ` · about ${Math.ceil(estimatedWaitMs / 60000)} min`;
  }
  if (ui.queueText.textContent !== text) ui.queueText.textContent = text;
  ui.queueBanner.hidden = false;
}

function hidePlaceInLine() {
  ui.queueBanner.hidden = true;
}

function setStatus(kind) {
  if (ui.status.dataset.state === kind) return; // unchanged: don't announce it again
  ui.status.dataset.state = kind;
  ui.statusText.textContent = STATUS_TEXT[kind];
}

/* ---------- Sending ---------- */

function describeError(err) {
  if (err?.code === 'text_too_long') return `That message is too long. Please shorten it to ${MAX_CHARS} characters or fewer.`;
  if (err?.status === 429) return 'You’re sending messages quickly. Please wait a moment and try again.';
  if (isGone(err)) return 'Your chat session had ended, so we started a new one. Please send your message again.';
  if (err?.status >= 500) return 'Something went wrong on our side. Please try again in a moment.';
  if (err?.status >= 400) return 'We couldn’t send that message. Please try again.';
  return 'We couldn’t reach the chat service. Check your connection and try again.';
}

const showError = (message) => { ui.error.textContent = message; };

// Show the message at once, then post it; sends are chained so they arrive in order.
function send(text) {
  const entry = { text, el: renderMessage({ from: 'customer', text, at: Date.now() }, true) };
  state.pending.push(entry);
  append(entry.el, true);
  state.outbox = state.outbox.then(() => post(entry));
}

async function post(entry) {
  if (entry.cancelled) return;
  const gen = state.generation;
  try {
    await Promise.race([state.ready, sleep(REQUEST_TIMEOUT_MS)]);
    if (!state.session) throw new Error('no conversation yet');
    const { id } = await api(conversationUrl('/messages'), { method: 'POST', body: { text: entry.text } });
    confirmSent(entry, id);
  } catch (err) {
    if (isGone(err)) conversationLost(gen);
    failSend(entry, err);
  }
}

function confirmSent(entry, id) {
  state.pending = state.pending.filter((p) => p !== entry);
  const shown = state.shown.get(id);
  if (!shown) {
    state.shown.set(id, entry.el); // the server copy will land on this bubble
    setTime(entry.el, Date.now());
  } else if (shown !== entry.el) {
    entry.el.remove(); // the server copy is already on screen as its own bubble
  }
}

// Never lose what the customer typed: put it (and anything queued behind it) back in the composer.
function failSend(entry, err) {
  const index = state.pending.indexOf(entry);
  if (index === -1) return; // the server copy already arrived, so it was sent after all
  const unsent = state.pending.splice(index);
  for (const p of unsent) { p.cancelled = true; p.el.remove(); }
  ui.input.value = [...unsent.map((p) => p.text), ui.input.value.trim()].filter(Boolean).join('\n');
  onInput();
  showError(describeError(err));
  ui.input.focus();
}

/* ---------- Composer ---------- */

function submitComposer() {
  const text = ui.input.value.trim();
  if (!text) return; // whitespace-only messages are never sent
  const over = charCount(text) - MAX_CHARS;
  if (over > 0) return showError(`That message is ${over} character${over === 1 ? '' : 's'} too long. Please shorten it a little.`);
  ui.input.value = '';
  onInput();
  send(text);
}

function onInput() {
  const count = charCount(ui.input.value);
  ui.counter.hidden = count < COUNTER_FROM;
  ui.counter.textContent = `${count} / ${MAX_CHARS}`;
  ui.counter.classList.toggle('is-over', count > MAX_CHARS);
  ui.input.setAttribute('aria-invalid', String(count > MAX_CHARS));
  showError('');
  autosize();
}

// Grow the textarea with its content; the CSS max-height caps it.
function autosize() {
  ui.input.style.height = 'auto';
  ui.input.style.height = `${ui.input.scrollHeight + ui.input.offsetHeight - ui.input.clientHeight}px`;
}

function wireUp() {
  ui.form.addEventListener('submit', (event) => { event.preventDefault(); submitComposer(); });
  ui.input.addEventListener('keydown', (event) => {
    // Enter sends; Shift+Enter (or Enter while an IME is composing) makes a new line.
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing || event.keyCode === 229) return;
    event.preventDefault();
    submitComposer();
  });
  ui.input.addEventListener('input', onInput);
  ui.log.addEventListener('scroll', () => {
    state.atBottom = isNearBottom();
    if (state.atBottom) ui.jump.hidden = true;
  });
  // Keep the newest message in view when the keyboard opens or the window resizes.
  new ResizeObserver(() => { if (state.atBottom) scrollToBottom(); }).observe(ui.log);
  ui.jump.addEventListener('click', () => { scrollToBottom(); ui.input.focus(); });
  for (const chip of document.querySelectorAll('[data-suggest]')) {
    chip.addEventListener('click', () => { send(chip.dataset.suggest); ui.input.focus(); });
  }
}

wireUp();
state.session = loadSession();
state.ready = openConversation(state.generation);
