// Switchboard agent console. Plain ES modules: no build step, no framework.
// The agent API is documented in the README ("Agent console") and at /openapi.json.
// Safety rule: text from customers (any channel), bots and agents only ever
// reaches the page through textContent.

import { channelName, formatWait, reasonText } from './format.js';
import { ConversationPanel, make } from './panel.js';
import { readEventStream } from '../shared/sse.js';

const API = '/api/agent';
const TITLE = 'Switchboard console';
const TOKEN_KEY = 'switchboard.console.token';   // sessionStorage: this tab only, gone when it closes
const SOUND_KEY = 'switchboard.console.sound';   // a preference, not a secret
const REQUEST_TIMEOUT_MS = 15000;
const STALL_MS = 45000;              // the server pings every 15 s; this much silence is a dead link
const BACKOFF_MIN_MS = 1000;
const BACKOFF_MAX_MS = 15000;
const QUEUE_REFRESH_DELAY_MS = 250;  // coalesces bursts of queue events into one GET /queue
const ANNOUNCEMENTS_KEPT = 5;

const $ = (id) => document.getElementById(id);
const ui = {
  signin: $('signin'), signinForm: $('signin-form'), tokenInput: $('token-input'), signinError: $('signin-error'),
  app: $('app'), agentName: $('agent-name'), agentSkills: $('agent-skills'), agentLoad: $('agent-load'),
  connection: $('connection'), connectionText: $('connection-text'),
  sound: $('sound-toggle'), signout: $('signout'), supervisorLink: $('supervisor-link'),
  notice: $('notice'), noticeText: $('notice-text'), noticeClose: $('notice-close'),
  queueTitle: $('queue-title'), queueCount: $('queue-count'), queueEmpty: $('queue-empty'), queueList: $('queue-list'),
  claimNext: $('claim-next'),
  conversationsTitle: $('conversations-title'), panelsEmpty: $('conversations-empty'), panels: $('panels'),
  announcer: $('announcer'), ticketTemplate: $('ticket-template'),
};

const state = {
  token: null,
  me: null,                 // { id, name, skills, capacity, maxMessageLength }
  agents: [],               // everyone who can be transferred to: [{ id, name, skills }]
  session: 0,               // bumped on sign-out so old loops stop
  stop: null,               // AbortController of the signed-in session
  loaded: false,            // the queue and conversations were fetched at least once
  queue: new Map(),         // conversationId -> waiting conversation
  queueItems: new Map(),    // conversationId -> <li>
  queueBuffers: new Set(),  // queue events seen while a GET /queue is in flight, replayed after it
  queueRefreshTimer: 0,
  panels: new Map(),        // conversationId -> ConversationPanel
  eventSeq: 0,              // counts stream events, so a refresh knows what happened meanwhile
  claimsInFlight: 0,
  unseen: 0,                // customer messages that arrived while the tab was hidden
  sound: false,
  audio: null,
  wake: null,               // cuts a reconnect wait short (the browser came back online)
  ticker: 0,
};

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const backoff = (failures) => Math.min(BACKOFF_MIN_MS * 2 ** Math.max(0, failures - 1), BACKOFF_MAX_MS);

/* ---------- Token: from the URL fragment or the form, kept in this tab only ---------- */

function readStorage(storage, key) {
  try { return storage.getItem(key); } catch { return null; }
}

function writeStorage(storage, key, value) {
  try {
    if (value === null) storage.removeItem(key);
    else storage.setItem(key, value);
  } catch { /* storage blocked: sign in again after a reload */ }
}

/** `#token=…` from the console link; the fragment never reaches the server or its logs. */
function takeTokenFromFragment() {
  const params = new URLSearchParams(location.hash.slice(1));
  const token = params.get('token');
  if (token === null) return null;
  history.replaceState(history.state, '', `${location.pathname}${location.search}`); // out of the address bar and history
  return token.trim() || null;
}

/* ---------- HTTP ---------- */

class ApiError extends Error {
  constructor(message, status, code) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

const authHeaders = () => ({ Authorization: `Bearer ${state.token}` });

/** JSON in and out; 204 is null; 4xx/5xx throw ApiError with the server's message. A 401 signs out. */
async function api(path, { method = 'GET', body } = {}) {
  const headers = { ...authHeaders(), Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch(`${API}${path}`, {
      method, headers, cache: 'no-store', signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError('Couldn’t reach Switchboard.', 0, 'network');
  }
  if (res.status === 204) return null;
  const data = await res.json().catch(() => null);
  if (!res.ok) {
    const error = new ApiError(data?.error?.message ?? `HTTP ${res.status}`, res.status, data?.error?.code);
    if (res.status === 401 && state.me) signOut('Your token is no longer accepted. Please sign in again.');
    throw error;
  }
  return data;
}

/* ---------- Signing in and out ---------- */

function showSignIn(message = '') {
  ui.app.hidden = true;
  ui.signin.hidden = false;
  ui.signinError.textContent = message;
  document.title = TITLE;
  ui.tokenInput.focus();
}

async function signIn(token) {
  state.token = token;
  let me;
  try {
    me = await api('/me');
  } catch (err) {
    state.token = null;
    if (err.status === 401) {
      writeStorage(sessionStorage, TOKEN_KEY, null);
      return showSignIn('That token was not accepted. Check it and try again.');
    }
    // Kept for a retry: a reload signs in again once the server is back.
    writeStorage(sessionStorage, TOKEN_KEY, token);
    return showSignIn('Couldn’t reach Switchboard. Check your connection and sign in again.');
  }
  writeStorage(sessionStorage, TOKEN_KEY, token);
  ui.tokenInput.value = '';
  state.me = { id: me.id, name: me.name, skills: me.skills, capacity: me.capacity, maxMessageLength: me.maxMessageLength };
  ui.supervisorLink.hidden = !(me.roles ?? []).includes('supervisor');
  state.session += 1;
  state.stop = new AbortController();
  state.loaded = false;
  ui.signin.hidden = true;
  ui.app.hidden = false;
  renderAgent();
  renderQueue();
  renderPanels();
  clearInterval(state.ticker);
  state.ticker = setInterval(tick, 1000);
  const session = state.session;
  void loadAgents(session);
  void streamLoop(session);
  ui.claimNext.focus();
}

function signOut(message) {
  state.session += 1;
  state.stop?.abort();
  state.token = null;
  state.me = null;
  writeStorage(sessionStorage, TOKEN_KEY, null);
  clearInterval(state.ticker);
  for (const panel of state.panels.values()) panel.root.remove();
  state.panels.clear();
  state.queue.clear();
  for (const item of state.queueItems.values()) item.remove();
  state.queueItems.clear();
  state.unseen = 0;
  hideNotice();
  showSignIn(message);
}

/** The agents (and so the skills) a conversation can be transferred to. */
async function loadAgents(session) {
  try {
    const { agents } = await api('/agents');
    if (session !== state.session) return;
    state.agents = Array.isArray(agents) ? agents : [];
  } catch {
    state.agents = []; // an older server: the menu offers this agent's own skills
  }
  for (const panel of state.panels.values()) panel.renderTargets();
}

function transferTargets() {
  const skills = new Set(state.me?.skills ?? []);
  for (const agent of state.agents) for (const skill of agent.skills ?? []) skills.add(skill);
  return {
    skills: [...skills].sort(),
    agents: state.agents.filter((agent) => agent.id !== state.me?.id),
  };
}

function agentName(id) {
  return state.agents.find((agent) => agent.id === id)?.name ?? (id ? `Agent ${id}` : 'Agent');
}

/* ---------- The live stream: reconnects by itself, re-fetches what it missed ---------- */

async function streamLoop(session) {
  let failures = 0;
  while (session === state.session) {
    const { status, delivered } = await readEventStream(`${API}/stream`, {
      headers: authHeaders(),
      signal: state.stop.signal,
      stallMs: STALL_MS,
      onEvent: (type, payload) => { if (session === state.session) onAgentEvent(type, payload); },
    });
    if (session !== state.session) return;
    if (status === 401) return signOut('Your token is no longer accepted. Please sign in again.');
    setConnection('reconnecting');
    failures = delivered ? 1 : failures + 1;
    // Without a live stream, still show the queue and conversations as they are now.
    if (!state.loaded) refresh(session).catch(() => {});
    await new Promise((resolve) => {
      const timer = setTimeout(resolve, backoff(failures));
      state.wake = () => { clearTimeout(timer); resolve(); };
    });
    state.wake = null;
  }
}

function onAgentEvent(type, event) {
  state.eventSeq += 1;
  switch (type) {
    case 'ready':
      // Subscribed: whatever happened while disconnected is fetched now; ids make overlaps harmless.
      setConnection('connected');
      refresh(state.session).catch(() => {});
      return;
    case 'queued':
    case 'dequeued':
    case 'waiting_message':
      for (const buffer of state.queueBuffers) buffer.push([type, event]);
      applyQueueEvent(type, event, true);
      return;
    case 'assigned':
      return onAssigned(event);
    case 'released':
    case 'transferred':
      return onTakenAway(type, event);
    case 'message':
      return onMessage(event);
    default:
  }
}

/** Everything as the server has it now: the agent, the queue, each held conversation. */
async function refresh(session) {
  const seqAtStart = state.eventSeq;
  const [me] = await Promise.all([api('/me'), refreshQueue()]);
  if (session !== state.session) return;
  state.me = { ...state.me, name: me.name, skills: me.skills, capacity: me.capacity, maxMessageLength: me.maxMessageLength };
  renderAgent();
  const held = new Set(me.conversations.map((ticket) => ticket.conversationId));
  for (const [id, panel] of state.panels) {
    // A panel opened by an event after the snapshot was asked for stays.
    if (!held.has(id) && panel.openedSeq <= seqAtStart) closePanel(id, `${panel.label} is no longer yours.`);
  }
  const reload = (id) => (state.panels.has(id) ? loadContext(state.panels.get(id)) : openPanel(id).loading);
  await Promise.all([...held].map(reload));
  state.loaded = true;
}

function setConnection(kind) {
  if (ui.connection.dataset.state === kind) return;
  ui.connection.dataset.state = kind;
  ui.connectionText.textContent = kind === 'connected' ? 'Live' : kind === 'reconnecting' ? 'Reconnecting…' : 'Connecting…';
}

/* ---------- Queue ---------- */

async function refreshQueue() {
  const buffer = [];
  state.queueBuffers.add(buffer);
  try {
    const { conversations } = await api('/queue');
    state.queue = new Map(
      conversations.filter((item) => !state.panels.has(item.conversationId)).map((item) => [item.conversationId, item]),
    );
    for (const [type, event] of buffer) applyQueueEvent(type, event, false);
    renderQueue();
  } finally {
    state.queueBuffers.delete(buffer);
  }
}

function scheduleQueueRefresh() {
  clearTimeout(state.queueRefreshTimer);
  const session = state.session;
  state.queueRefreshTimer = setTimeout(() => {
    if (session === state.session) refreshQueue().catch(() => {});
  }, QUEUE_REFRESH_DELAY_MS);
}

function applyQueueEvent(type, event, live) {
  const id = event.conversationId;
  if (typeof id !== 'string') return;
  const known = state.queue.get(id);
  if (type === 'queued') {
    if (state.panels.has(id)) return;
    const { type: _type, ...ticket } = event;
    state.queue.set(id, { ...known, ...ticket, waitingSince: event.enqueuedAt });
    if (live) {
      if (!known) alertEscalation(ticket);
      scheduleQueueRefresh(); // the event has no text: fetch the customer's last message
    }
  } else if (type === 'dequeued') {
    state.queue.delete(id);
  } else if (type === 'waiting_message' && known) {
    known.lastCustomerMessage = { text: event.text, at: event.at };
  }
  if (live) renderQueue();
}

const byServingOrder = (a, b) => (b.priority ?? 0) - (a.priority ?? 0) || (a.waitingSince ?? 0) - (b.waitingSince ?? 0);

function renderQueue() {
  const items = [...state.queue.values()].sort(byServingOrder);
  for (const [id, li] of state.queueItems) {
    if (!state.queue.has(id)) { li.remove(); state.queueItems.delete(id); }
  }
  items.forEach((item, index) => {
    let li = state.queueItems.get(item.conversationId);
    if (!li) {
      li = ui.ticketTemplate.content.firstElementChild.cloneNode(true);
      const button = li.querySelector('.ticket__claim');
      button.addEventListener('click', () => void claim(item.conversationId, button));
      state.queueItems.set(item.conversationId, li);
    }
    fillTicket(li, item);
    // Move only what is out of place, so a focused Claim button keeps its focus.
    if (ui.queueList.children[index] !== li) ui.queueList.insertBefore(li, ui.queueList.children[index] ?? null);
  });
  ui.queueCount.textContent = String(items.length);
  ui.queueEmpty.hidden = items.length > 0;
  updateTitle();
}

function fillTicket(li, item) {
  const channel = channelName(item.channel);
  const set = (selector, text) => {
    const el = li.querySelector(selector);
    if (el.textContent !== text) el.textContent = text;
    return el;
  };
  li.dataset.conversationId = item.conversationId;
  set('.ticket__channel', channel).dataset.channel = item.channel;
  set('.ticket__skill', item.skill);
  set('.ticket__priority', item.priority > 0 ? `priority ${item.priority}` : '');
  set('.ticket__reason', reasonText(item.reason));
  const last = item.lastCustomerMessage?.text;
  set('.ticket__last', last ? `“${last}”` : '').hidden = !last;
  const claimButton = li.querySelector('.ticket__claim');
  const label = `Claim ${channel} conversation: ${reasonText(item.reason)}`;
  if (claimButton.getAttribute('aria-label') !== label) claimButton.setAttribute('aria-label', label);
  const time = li.querySelector('.ticket__wait time');
  time.dataset.since = String(item.waitingSince);
  time.dateTime = new Date(item.waitingSince).toISOString();
  time.textContent = formatWait(Date.now() - item.waitingSince);
}

/** One click: this conversation, or (with no id) the next one the agent may take. */
async function claim(conversationId, button) {
  const buttons = button ? [button] : [ui.claimNext];
  for (const b of buttons) b.disabled = true;
  state.claimsInFlight += 1;
  try {
    const result = await api('/queue/claim', { method: 'POST', body: conversationId ? { conversationId } : {} });
    if (result === null) return notify('Nobody is waiting in your skills right now.');
    const id = result.conversation.conversationId;
    state.queue.delete(id);
    renderQueue();
    const panel = openPanel(id);
    hideNotice();
    announce(`You took a ${channelName(result.conversation.channel)} conversation.`);
    panel.focusComposer();
  } catch (err) {
    if (err.status === 409) {
      notify('Someone else took that conversation, or it is no longer waiting.');
      if (conversationId) { state.queue.delete(conversationId); renderQueue(); }
      scheduleQueueRefresh();
    } else if (err.status === 429) {
      const held = `${state.panels.size} of ${state.me?.capacity ?? '?'}`;
      notify(`You already hold ${held} conversations. Release one before you claim another.`);
    } else if (err.status === 403) {
      notify('That conversation waits for a skill you don’t have.');
      if (conversationId) { state.queue.delete(conversationId); renderQueue(); }
      scheduleQueueRefresh();
    } else if (err.status !== 401) {
      notify(`Couldn’t claim: ${err.message}`);
    }
  } finally {
    state.claimsInFlight -= 1;
    for (const b of buttons) if (b.isConnected) b.disabled = false;
  }
}

/* ---------- Conversations ---------- */

const panelHost = {
  api,
  get me() { return state.me; },
  agentName,
  transferTargets,
  closed: (panel, announcement) => closePanel(panel.id, announcement),
};

function openPanel(id) {
  let panel = state.panels.get(id);
  if (panel) return panel;
  panel = new ConversationPanel(id, panelHost);
  panel.openedSeq = state.eventSeq;
  state.panels.set(id, panel);
  ui.panels.append(panel.root);
  panel.loading = loadContext(panel);
  renderPanels();
  return panel;
}

async function loadContext(panel) {
  try {
    const context = await api(`/conversations/${encodeURIComponent(panel.id)}`);
    if (state.panels.get(panel.id) === panel) panel.applyContext(context);
  } catch (err) {
    if (state.panels.get(panel.id) !== panel) return;
    if (err.status === 403 || err.status === 404) closePanel(panel.id, `${panel.label} is no longer yours.`);
    else panel.showError('Couldn’t load this conversation; it loads again when the connection is back.');
  }
}

function closePanel(id, announcement) {
  const panel = state.panels.get(id);
  if (!panel) return;
  const hadFocus = panel.root.contains(document.activeElement);
  state.panels.delete(id);
  panel.root.remove();
  renderPanels();
  if (announcement) announce(announcement);
  if (hadFocus) {
    const next = [...state.panels.values()].at(-1);
    if (next) next.focusComposer();
    else ui.queueTitle.focus();
  }
}

function renderPanels() {
  ui.panelsEmpty.hidden = state.panels.size > 0;
  ui.panels.dataset.count = String(state.panels.size);
  renderAgent();
}

function onAssigned(event) {
  const id = event.conversationId;
  const isNew = !state.panels.has(id);
  state.queue.delete(id);
  renderQueue();
  openPanel(id);
  if (!isNew || state.claimsInFlight > 0) return; // the agent's own click: no alert needed
  alertAgent(event.fromAgentId
    ? `${agentName(event.fromAgentId)} transferred a conversation to you.`
    : 'A conversation was given to you.');
}

function onTakenAway(type, event) {
  const panel = state.panels.get(event.conversationId);
  if (!panel) return; // our own action already closed it
  let why = `${panel.label} is no longer yours.`;
  if (type === 'released' && event.reason === 'lease_expired') {
    why = `${panel.label} went back to the queue: your connection was lost for too long.`;
  } else if (type === 'released' && event.reason === 'customer_left') {
    why = `${panel.label} left the conversation.`;
  }
  closePanel(event.conversationId, why);
  if (event.reason === 'lease_expired') notify(why);
}

function onMessage(event) {
  const panel = state.panels.get(event.conversationId);
  if (!panel || !event.entry) return;
  for (const entry of panel.merge([event.entry])) {
    if (entry.from !== 'customer') continue;
    announce(`${panel.label}: ${entry.text}`);
    if (document.hidden) {
      state.unseen += 1;
      updateTitle();
      beep();
    }
  }
}

/* ---------- Alerts: title badge, sound, screen reader ---------- */

function alertEscalation(ticket) {
  const where = `${channelName(ticket.channel)}, ${ticket.skill} queue`;
  alertAgent(`New conversation waiting: ${reasonText(ticket.reason)}, ${where}.`);
}

function alertAgent(text) {
  announce(text);
  beep();
  updateTitle();
}

function updateTitle() {
  const count = state.queue.size + state.unseen;
  const title = count > 0 ? `(${count}) ${TITLE}` : TITLE;
  if (document.title !== title) document.title = title;
}

/** Additions to a polite live region; a few are kept so quick bursts are all read. */
function announce(text) {
  ui.announcer.append(make('p', '', text));
  while (ui.announcer.childElementCount > ANNOUNCEMENTS_KEPT) ui.announcer.firstElementChild.remove();
}

function notify(text) {
  ui.noticeText.textContent = text;
  ui.notice.hidden = false;
}

function hideNotice() {
  ui.notice.hidden = true;
  ui.noticeText.textContent = '';
}

function audioContext() {
  try {
    state.audio ??= new AudioContext();
    if (state.audio.state === 'suspended') state.audio.resume().catch(() => {});
  } catch {
    state.audio = null;
  }
  return state.audio;
}

/** A short two-tone beep, made here: no audio file is loaded from anywhere. */
function beep() {
  if (!state.sound) return;
  const audio = audioContext();
  if (!audio || audio.state !== 'running') return;
  const start = audio.currentTime + 0.01;
  [[880, 0], [1175, 0.12]].forEach(([frequency, offset]) => {
    const oscillator = audio.createOscillator();
    const gain = audio.createGain();
    oscillator.type = 'sine';
    oscillator.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, start + offset);
    gain.gain.exponentialRampToValueAtTime(0.2, start + offset + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.11);
    oscillator.connect(gain).connect(audio.destination);
    oscillator.start(start + offset);
    oscillator.stop(start + offset + 0.12);
  });
}

function setSound(on) {
  state.sound = on;
  ui.sound.setAttribute('aria-pressed', String(on));
  writeStorage(localStorage, SOUND_KEY, on ? 'on' : null);
}

/* ---------- Header and clock ---------- */

function renderAgent() {
  if (!state.me) return;
  ui.agentName.textContent = state.me.name;
  ui.agentSkills.textContent = `Skills: ${state.me.skills.join(', ')}`;
  ui.agentLoad.textContent = `Holding ${state.panels.size} of ${state.me.capacity}`;
}

function tick() {
  const now = Date.now();
  for (const time of ui.queueList.querySelectorAll('time[data-since]')) {
    const text = formatWait(now - Number(time.dataset.since));
    if (time.textContent !== text) time.textContent = text;
  }
  for (const panel of state.panels.values()) panel.tick(now);
}

/* ---------- Wiring ---------- */

function wireUp() {
  ui.signinForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const token = ui.tokenInput.value.trim();
    if (!token) {
      ui.signinError.textContent = 'Enter your agent token.';
      ui.tokenInput.focus();
      return;
    }
    ui.signinError.textContent = '';
    void signIn(token);
  });
  ui.signout.addEventListener('click', () => signOut('You signed out.'));
  ui.claimNext.addEventListener('click', () => void claim(undefined));
  ui.noticeClose.addEventListener('click', hideNotice);
  ui.sound.addEventListener('click', () => {
    setSound(!state.sound);
    if (state.sound) { audioContext(); beep(); } // the click is the gesture that lets audio start
  });
  // Browsers start audio only after a gesture: a remembered "sound on" waits for the first one.
  const unlock = () => { if (state.sound) audioContext(); };
  window.addEventListener('pointerdown', unlock, { once: true });
  window.addEventListener('keydown', unlock, { once: true });
  const seen = () => {
    if (document.hidden || state.unseen === 0) return;
    state.unseen = 0;
    updateTitle();
  };
  document.addEventListener('visibilitychange', seen);
  window.addEventListener('focus', seen);
  window.addEventListener('online', () => state.wake?.());
}

wireUp();
setSound(readStorage(localStorage, SOUND_KEY) === 'on');
const initialToken = takeTokenFromFragment() ?? readStorage(sessionStorage, TOKEN_KEY);
if (initialToken) void signIn(initialToken);
else showSignIn();
