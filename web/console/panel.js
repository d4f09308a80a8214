// One conversation the agent holds: its context, its transcript, a composer,
// and transfer and release. Safety rule, as in the chat page: everything a
// customer (or bot, or agent) wrote reaches the page through textContent only.

import {
  channelName, charCount, formatClock, messageLimit, messagingWindow, reasonText, shortId,
} from './format.js';

let lastUid = 0;
const uid = (prefix) => `${prefix}-${(lastUid += 1)}`;

/** An element with a class and, optionally, text (never HTML). */
export function make(tag, className, text) {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (text !== undefined && text !== null) el.textContent = String(text);
  return el;
}

const FOLLOW_SLACK_PX = 48;

function describeError(err) {
  if (err?.status === 403) return 'You no longer hold this conversation.';
  if (err?.status >= 400 && err?.status < 500 && err.message) return err.message; // the server's words are written for people
  if (err?.status >= 500) return 'Something went wrong on the server. Please try again.';
  return 'Couldn’t reach Switchboard. Check your connection and try again.';
}

/**
 * `app` is what the panel needs from the console: api(path, options),
 * me (the signed-in agent), agentName(id), transferTargets() ({ skills, agents }),
 * and closed(panel, announcement) when the conversation leaves the agent's hands.
 */
export class ConversationPanel {
  constructor(conversationId, app) {
    this.id = conversationId;
    this.app = app;
    this.entries = new Map(); // transcript id -> <li>: merging by id means nothing shows twice
    this.channel = undefined;
    this.lastCustomerMessageAt = undefined;
    this.label = 'Customer';
    this.outbox = Promise.resolve(); // sends go one at a time so they keep their order
    this.busy = false;

    const root = document.getElementById('panel-template').content.firstElementChild.cloneNode(true);
    const q = (selector) => root.querySelector(selector);
    this.root = root;
    this.ui = {
      title: q('.panel__title'), channel: q('.panel__channel'), status: q('.panel__status'), window: q('.panel__window'),
      reason: q('.ctx-reason'), evidence: q('.ctx-evidence'), collected: q('.ctx-collected'), customer: q('.ctx-customer'),
      profile: q('.ctx-profile'), orders: q('.ctx-orders'), cases: q('.ctx-cases'),
      transcript: q('.transcript'),
      composer: q('.composer'), name: q('.composer__name'), input: q('.composer__input'),
      error: q('.composer__error'), hint: q('.composer__hint'), counter: q('.composer__counter'),
      transfer: q('.transfer'), target: q('.transfer__target'), release: q('.release'), note: q('.release__note'),
    };
    root.dataset.conversationId = conversationId;
    this.ui.title.id = uid('panel-title');
    root.setAttribute('aria-labelledby', this.ui.title.id);
    this.ui.error.id = uid('panel-error');
    this.ui.hint.id = uid('panel-hint');
    this.ui.counter.id = uid('panel-counter');
    this.ui.input.setAttribute('aria-describedby', `${this.ui.error.id} ${this.ui.hint.id} ${this.ui.counter.id}`);
    this.ui.title.textContent = 'Loading conversation…';
    this.ui.transcript.setAttribute('aria-label', 'Transcript');
    this.wire();
    this.renderTargets();
    this.onInput();
  }

  wire() {
    const { composer, input, transfer, release } = this.ui;
    composer.addEventListener('submit', (event) => { event.preventDefault(); this.submit(); });
    input.addEventListener('keydown', (event) => {
      // Enter sends; Shift+Enter (or Enter while an IME is composing) makes a new line.
      if (event.key !== 'Enter' || event.shiftKey || event.isComposing || event.keyCode === 229) return;
      event.preventDefault();
      this.submit();
    });
    input.addEventListener('input', () => this.onInput());
    transfer.addEventListener('submit', (event) => { event.preventDefault(); void this.transfer(); });
    release.addEventListener('submit', (event) => { event.preventDefault(); void this.release(); });
  }

  /* ---------- Context ---------- */

  applyContext(context) {
    const { conversation, customer, handoff, collected } = context;
    this.channel = conversation.channel;
    this.noteCustomerMessage(conversation.lastCustomerMessageAt);
    // The business's name for the customer when its systems know them; text only (textContent below).
    const name = typeof customer.profile?.name === 'string' ? customer.profile.name.trim() : '';
    this.label = name || `Customer ${shortId(customer.userId)}`;
    const channel = channelName(conversation.channel);
    this.ui.title.textContent = this.label;
    this.ui.channel.textContent = channel;
    this.ui.channel.dataset.channel = conversation.channel;
    this.ui.status.textContent = handoff?.assignedAt ? `yours since ${formatClock(handoff.assignedAt)}` : '';
    this.ui.name.textContent = `Reply to ${this.label} on ${channel}`;
    this.ui.input.placeholder = `Reply on ${channel}…`;
    this.ui.transcript.setAttribute('aria-label', `Transcript with ${this.label}`);

    this.ui.reason.replaceChildren();
    if (handoff) {
      this.ui.reason.append(make('strong', 'reason', reasonText(handoff.reason)), ' ', make('code', 'code', handoff.reason));
      const where = [`skill ${handoff.skill}`, `priority ${handoff.priority}`, `escalated ${formatClock(handoff.escalatedAt)}`];
      this.ui.reason.append(make('span', 'facts__more', ` · ${where.join(' · ')}`));
      if (handoff.detail) this.ui.reason.append(make('span', 'facts__detail', handoff.detail));
    } else {
      this.ui.reason.textContent = 'No escalation on record.';
    }

    this.ui.evidence.replaceChildren();
    const evidence = handoff?.evidence ?? [];
    for (const { intent, score } of evidence) {
      this.ui.evidence.append(make('span', 'chip', `${intent} ${formatScore(score)}`), ' ');
    }
    if (Number.isFinite(handoff?.sentiment)) {
      this.ui.evidence.append(make('span', 'chip', `sentiment ${formatScore(handoff.sentiment)}`));
    }
    if (!this.ui.evidence.hasChildNodes()) this.ui.evidence.textContent = 'No intent matched.';

    this.ui.collected.replaceChildren();
    for (const [key, value] of Object.entries(collected ?? {})) {
      this.ui.collected.append(make('span', 'chip', `${key}: ${value}`), ' ');
    }
    if (!this.ui.collected.hasChildNodes()) this.ui.collected.textContent = 'Nothing yet.';

    const firstContact = new Date(conversation.createdAt).toLocaleString();
    this.ui.customer.replaceChildren(
      make('span', 'mono', customer.userId),
      ` · ${channelName(customer.channel)} · ${conversation.locale} · first contact ${firstContact}`,
    );
    this.renderCustomer(customer);
    this.merge(context.transcript ?? []);
    this.tick();
  }

  /** What the business's systems know of the customer: profile, recent orders, cases. */
  renderCustomer(customer) {
    const { profile, lookup } = customer;
    const orders = Array.isArray(customer.orders) ? customer.orders : [];
    const cases = Array.isArray(customer.cases) ? customer.cases : [];
    this.ui.profile.replaceChildren();
    if (profile) {
      this.ui.profile.append(make('strong', '', profile.name));
      const more = [profile.tier, profile.email, profile.phone].filter((value) => typeof value === 'string' && value);
      if (more.length) this.ui.profile.append(make('span', 'facts__more', ` · ${more.join(' · ')}`));
    } else {
      this.ui.profile.textContent = lookup === 'unavailable' ? 'The customer system did not answer.'
        : lookup === 'unknown' ? 'Not a known customer.' : 'No customer system.';
    }
    this.ui.orders.replaceChildren();
    for (const order of orders) {
      const items = Array.isArray(order.items) ? order.items.join(', ') : '';
      this.ui.orders.append(make('span', 'chip', `${order.orderNumber} · ${order.status} ${order.statusDate} · ${items}`), ' ');
    }
    if (!this.ui.orders.hasChildNodes()) this.ui.orders.textContent = (customer.unavailable ?? []).includes('orders') ? 'Not available right now.' : 'None.';
    this.ui.cases.replaceChildren();
    for (const item of cases) this.ui.cases.append(make('span', 'chip', `${item.id} · ${item.status} · ${item.subject}`), ' ');
    if (!this.ui.cases.hasChildNodes()) this.ui.cases.textContent = (customer.unavailable ?? []).includes('cases') ? 'Not available right now.' : 'None.';
  }

  /** The transfer menu: queues by skill and the other agents. */
  renderTargets() {
    const { skills, agents } = this.app.transferTargets();
    const chosen = this.ui.target.value;
    const placeholder = make('option', '', 'Choose a queue or an agent…');
    placeholder.value = '';
    const queues = make('optgroup');
    queues.label = 'Queues';
    for (const skill of skills) {
      const option = make('option', '', `${skill} queue`);
      option.value = `skill:${skill}`;
      queues.append(option);
    }
    const people = make('optgroup');
    people.label = 'Agents';
    for (const agent of agents) {
      const option = make('option', '', `${agent.name} (${agent.skills.join(', ')})`);
      option.value = `agent:${agent.id}`;
      people.append(option);
    }
    this.ui.target.replaceChildren(placeholder, ...[queues, people].filter((group) => group.children.length > 0));
    this.ui.target.value = chosen;
    if (this.ui.target.value !== chosen) this.ui.target.value = '';
  }

  /* ---------- Transcript ---------- */

  /** Adds the entries not shown yet, in id order; returns the ones added. */
  merge(entries) {
    const list = this.ui.transcript;
    const follow = list.scrollHeight - list.scrollTop - list.clientHeight < FOLLOW_SLACK_PX;
    const added = [];
    for (const entry of entries) {
      if (!Number.isFinite(entry?.id) || typeof entry.text !== 'string' || this.entries.has(entry.id)) continue;
      const li = this.renderEntry(entry);
      this.entries.set(entry.id, li);
      // Usually the newest; after a reconnect an older one may fill a gap.
      let before = null;
      let child = list.lastElementChild;
      while (child && Number(child.dataset.id) > entry.id) {
        before = child;
        child = child.previousElementSibling;
      }
      list.insertBefore(li, before);
      if (entry.from === 'customer') this.noteCustomerMessage(entry.at);
      added.push(entry);
    }
    if (added.length && follow) list.scrollTop = list.scrollHeight;
    if (added.length) this.tick();
    return added;
  }

  renderEntry(entry) {
    const known = ['customer', 'bot', 'agent', 'system'].includes(entry.from);
    const kind = entry.internal ? 'note' : known ? entry.from : 'system';
    const li = make('li', `entry entry--${kind}`);
    li.dataset.id = String(entry.id);
    const meta = make('p', 'entry__meta');
    meta.append(make('span', 'entry__who', this.author(entry)));
    const time = make('time', 'entry__time', formatClock(entry.at));
    time.dateTime = new Date(entry.at).toISOString();
    time.title = new Date(entry.at).toLocaleString();
    meta.append(' ', time);
    if (entry.from === 'bot' && entry.nlu) {
      // The entities the NLU found in the message answered (order number, phone to call back, date…).
      const entities = (entry.nlu.entities ?? []).map((found) => `${found.entity} ${found.value}`).join(', ');
      const nlu = make('span', 'entry__nlu', `${entry.nlu.intent} · ${formatScore(entry.nlu.score)}${entities ? ` · ${entities}` : ''}`);
      nlu.title = 'The intent that produced this reply, its raw score, and the entities of the message';
      meta.append(' ', make('span', 'visually-hidden', 'intent'), nlu);
    }
    li.append(meta, make('p', 'entry__text', entry.text));
    return li;
  }

  author(entry) {
    if (entry.internal) return 'Internal note';
    switch (entry.from) {
      case 'customer': return 'Customer';
      case 'bot': return 'Bot';
      case 'agent': return entry.agentId === this.app.me?.id ? 'You' : this.app.agentName(entry.agentId);
      default: return 'Notice to customer';
    }
  }

  noteCustomerMessage(at) {
    if (Number.isFinite(at)) this.lastCustomerMessageAt = Math.max(this.lastCustomerMessageAt ?? 0, at);
  }

  /** Once a second: the messaging window counts down. */
  tick(now = Date.now()) {
    const window = messagingWindow(this.channel, this.lastCustomerMessageAt, now);
    this.ui.window.hidden = !window;
    if (!window) return;
    if (this.ui.window.textContent !== window.text) this.ui.window.textContent = window.text;
    this.ui.window.dataset.state = window.state;
  }

  /* ---------- Composer ---------- */

  onInput() {
    const count = charCount(this.ui.input.value);
    const { max, counterFrom } = messageLimit(this.app.me);
    this.ui.counter.hidden = count < counterFrom;
    this.ui.counter.textContent = `${count} / ${max}`;
    this.ui.counter.classList.toggle('is-over', count > max);
    this.ui.input.setAttribute('aria-invalid', String(count > max));
    this.showError('');
  }

  submit() {
    const text = this.ui.input.value.trim();
    if (!text) return;
    const { max } = messageLimit(this.app.me);
    const over = charCount(text) - max;
    if (over > 0) return this.showError(`That is ${over} character${over === 1 ? '' : 's'} over the ${max} limit.`);
    this.ui.input.value = '';
    this.onInput();
    this.outbox = this.outbox.then(() => this.post(text));
  }

  async post(text) {
    try {
      const { id, at } = await this.app.api(`/conversations/${encodeURIComponent(this.id)}/messages`, {
        method: 'POST', body: { text },
      });
      this.merge([{ id, at, from: 'agent', text, agentId: this.app.me?.id }]);
    } catch (err) {
      // Never lose what the agent wrote: put it back in front of anything typed since.
      this.ui.input.value = [text, this.ui.input.value.trim()].filter(Boolean).join('\n');
      this.onInput();
      this.showError(describeError(err));
    }
  }

  showError(message) {
    this.ui.error.textContent = message;
  }

  focusComposer() {
    this.ui.input.focus();
  }

  /* ---------- Transfer and release ---------- */

  async transfer() {
    const value = this.ui.target.value;
    if (!value) {
      this.showError('Choose a queue or an agent to transfer to.');
      this.ui.target.focus();
      return;
    }
    const [kind, ...rest] = value.split(':');
    const target = rest.join(':');
    const body = kind === 'skill' ? { skill: target } : { agentId: target };
    const done = kind === 'skill'
      ? `Transferred to the ${target} queue.`
      : `Transferred to ${this.app.agentName(target)}.`;
    await this.act(`/transfer`, body, done);
  }

  async release() {
    const note = this.ui.note.value.trim();
    await this.act('/release', note ? { note } : {}, 'Released to the bot.');
  }

  async act(path, body, done) {
    if (this.busy) return;
    this.busy = true;
    this.root.setAttribute('aria-busy', 'true');
    try {
      await this.app.api(`/conversations/${encodeURIComponent(this.id)}${path}`, { method: 'POST', body });
      this.app.closed(this, `${done} (${this.label})`);
    } catch (err) {
      this.showError(describeError(err));
      if (err?.status === 403) this.app.closed(this, `${this.label} is no longer yours.`);
    } finally {
      this.busy = false;
      this.root.removeAttribute('aria-busy');
    }
  }
}

function formatScore(score) {
  return Number.isFinite(score) ? score.toFixed(2) : '?';
}
