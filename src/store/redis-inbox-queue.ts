import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { isSwitchboardError } from '../core/errors.ts';
import type { Logger } from '../logger.ts';
import { retryDelay, type InboxHandler, type InboxItem, type InboxQueue } from './inbox-queue.ts';
import { storeScripts, type StoreScripts } from './lua-scripts.ts';
import { duplicateClient, type RedisClient } from './redis-connection.ts';
import { createStoreKeys } from './redis-keys.ts';

export interface RedisInboxQueueOptions {
  client: RedisClient;
  /** Prefix of every key (default `sb`): the stream is `<prefix>:{inbox}:stream`. */
  keyPrefix?: string;
  logger: Logger;
  /** This host's name in the consumer group (default: host name, pid and a random suffix). */
  consumer?: string;
  /**
   * INBOX_CLAIM_IDLE_MS: an item handed to a host that has not renewed its
   * claim for this long is taken over by another (the host died or hangs).
   */
  claimIdleMs?: number;
  /** INBOX_CONCURRENCY: items in hand at once on this host. */
  concurrency?: number;
  /** How long one read waits for new items (also bounds how long `stop` waits for the reader). */
  blockMs?: number;
}

/** The consumer group every host reads the inbox through. */
export const INBOX_GROUP = 'turns';

/** Consumers (hosts) gone this long with nothing pending are removed from the group. */
const FORGET_CONSUMER_AFTER_MS = 3_600_000;

/**
 * The inbox as a Redis Stream read through one consumer group by every host.
 *
 * - `enqueue` is one XADD; the webhook answers after it returns.
 * - Each host reads new entries with XREADGROUP (on a connection of its own,
 *   since the read blocks) as long as it has room for them, and hands each to
 *   the turn runner; an entry is acknowledged and deleted (inbox-ack.lua) only
 *   when the handler resolved, i.e. the turn's effects are saved.
 * - While an entry is in hand, the host renews its claim (XCLAIM … JUSTID
 *   every third of `claimIdleMs`), so a slow turn is not taken away; a host
 *   that died stops renewing, and after `claimIdleMs` any live host takes its
 *   entries over with XAUTOCLAIM. A failed handler (Redis away, the
 *   conversation busy on another host) is retried here with backoff.
 * - Since entries are deleted when done, the stream holds only unfinished
 *   work: its length is the backlog, and `drain` waits for the stream to hold
 *   nothing up to the newest entry at the time of the call.
 *
 * Delivery is at least once: the same entry may reach two hosts (a claim of a
 * host that was only slow). TurnRunner.process is idempotent for that.
 * The stream is one key (`{inbox}`): on Redis Cluster it lives on one shard,
 * which bounds inbox throughput by one shard (see README, Reliability and scaling).
 */
export class RedisInboxQueue implements InboxQueue {
  readonly kind = 'redis' as const;
  private readonly client: RedisClient;
  private readonly scripts: StoreScripts;
  private readonly stream: string;
  private readonly logger: Logger;
  private readonly consumer: string;
  private readonly claimIdleMs: number;
  private readonly concurrency: number;
  private readonly blockMs: number;
  /** Entries in hand: running, or waiting to be retried. */
  private readonly inHand = new Map<string, InboxItem>();
  private readonly retries = new Set<NodeJS.Timeout>();
  private readonly timers: NodeJS.Timeout[] = [];
  private handler: InboxHandler | undefined;
  private reader: RedisClient | undefined;
  private readLoop: Promise<void> | undefined;
  private groupReady = false;
  private stopping = false;
  private running = 0;
  private slotWaiters: (() => void)[] = [];
  private runningWaiters: (() => void)[] = [];
  private sweeping = false;
  /** Entries to acknowledge in the next ack call, and that call's completion (see `ack`). */
  private readonly acks: string[] = [];
  private acksSent: Promise<void> | undefined;
  private sweeps = 0;
  private readFailures = 0;

  constructor(options: RedisInboxQueueOptions) {
    this.client = options.client;
    this.scripts = storeScripts(options.client);
    this.stream = createStoreKeys(options.keyPrefix).inboxStream();
    this.logger = options.logger.child({ component: 'inbox' });
    this.consumer = options.consumer ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
    this.claimIdleMs = options.claimIdleMs ?? 15_000;
    this.concurrency = options.concurrency ?? 64;
    this.blockMs = options.blockMs ?? 1_000;
  }

  async enqueue(item: InboxItem): Promise<void> {
    const fields = ['c', item.conversationId, 'e', String(item.entryId), ...(item.requestId ? ['r', item.requestId] : [])];
    await this.client.xadd(this.stream, '*', ...fields);
  }

  start(handler: InboxHandler): void {
    if (this.handler) throw new Error('The inbox is already started.');
    this.handler = handler;
    this.reader = duplicateClient(this.client);
    this.reader.on('error', () => {
      // Reported by the read loop (once per outage); the shared client logs connection errors.
    });
    this.readLoop = this.read();
    const every = (ms: number, task: () => Promise<void>) => {
      const timer = setInterval(() => void task(), Math.max(100, ms));
      timer.unref();
      this.timers.push(timer);
    };
    every(this.claimIdleMs / 3, () => this.renewClaims());
    every(this.claimIdleMs / 2, () => this.claimAbandoned());
  }

  async drain(): Promise<void> {
    const newest = entryIds(await this.client.xrevrange(this.stream, '+', '-', 'COUNT', 1))[0];
    if (newest === undefined) return;
    for (;;) {
      if (entryIds(await this.client.xrange(this.stream, '-', newest, 'COUNT', 1)).length === 0) return;
      await sleep(20);
    }
  }

  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    for (const timer of this.timers) clearInterval(timer);
    for (const timer of this.retries) clearTimeout(timer);
    this.retries.clear();
    for (const resolve of this.slotWaiters.splice(0)) resolve();
    // Interrupts a blocked read; whatever it had been handed stays pending for other hosts.
    this.reader?.disconnect();
    await this.readLoop;
    if (this.running > 0) await new Promise<void>((resolve) => this.runningWaiters.push(resolve));
  }

  async backlog(): Promise<number> {
    return this.client.xlen(this.stream);
  }

  // ── reading ───────────────────────────────────────────────────────────

  private async read(): Promise<void> {
    while (!this.stopping) {
      const room = this.concurrency - this.inHand.size;
      if (room <= 0) {
        await new Promise<void>((resolve) => this.slotWaiters.push(resolve));
        continue;
      }
      try {
        await this.ensureGroup();
        const reply: unknown = await this.requireReader().xreadgroup(
          'GROUP',
          INBOX_GROUP,
          this.consumer,
          'COUNT',
          room,
          'BLOCK',
          this.blockMs,
          'STREAMS',
          this.stream,
          '>',
        );
        if (this.readFailures > 0) this.logger.info({ failures: this.readFailures }, 'inbox reads again');
        this.readFailures = 0;
        for (const [id, fields] of streamEntries(reply)) this.take(id, fields, 'new');
      } catch (error) {
        if (this.isStopping()) return;
        if (error instanceof Error && error.message.startsWith('NOGROUP')) this.groupReady = false;
        // Once per outage at error level, then quietly: ioredis reconnects by itself.
        if (this.readFailures === 0) this.logger.error({ err: error }, 'inbox cannot read; retrying until Redis answers');
        this.readFailures += 1;
        await sleep(retryDelay(this.readFailures, 2_000));
      }
    }
  }

  /** (A method: a field read after an await is not narrowed by the loop's condition.) */
  private isStopping(): boolean {
    return this.stopping;
  }

  private requireReader(): RedisClient {
    if (!this.reader) throw new Error('The inbox is not started.');
    return this.reader;
  }

  /** The consumer group, created with the stream if either is missing (a new Redis, or one restarted empty). */
  private async ensureGroup(): Promise<void> {
    if (this.groupReady) return;
    try {
      await this.client.xgroup('CREATE', this.stream, INBOX_GROUP, '0', 'MKSTREAM');
    } catch (error) {
      if (!(error instanceof Error && error.message.startsWith('BUSYGROUP'))) throw error;
    }
    this.groupReady = true;
  }

  private take(id: string, fields: string[] | null, how: 'new' | 'claimed'): void {
    if (this.inHand.has(id)) return;
    const item = fields && itemFromFields(fields);
    if (!item) {
      // Not ours to understand (deleted meanwhile, or written by something else): never retry it.
      this.logger.warn({ entryId: id }, 'inbox entry without a conversation; dropped');
      void this.ack(id);
      return;
    }
    if (how === 'claimed') {
      this.logger.info({ conversationId: item.conversationId, entryId: item.entryId }, 'inbox entry taken over from a silent host');
    }
    this.inHand.set(id, item);
    this.run(id, item, 0);
  }

  private run(id: string, item: InboxItem, attempt: number): void {
    const handler = this.handler;
    if (!handler || this.stopping) {
      this.release(id);
      return;
    }
    this.running += 1;
    handler(item)
      .then(
        async () => {
          await this.ack(id);
          this.release(id);
        },
        (error: unknown) => {
          if (this.stopping || (isSwitchboardError(error) && error.code === 'turn_fenced')) {
            // Someone else has it (or will, once this host's claim lapses).
            this.release(id);
            return;
          }
          const delayMs = retryDelay(attempt, Math.max(1_000, this.claimIdleMs / 3));
          this.logger.warn({ err: error, conversationId: item.conversationId, attempt: attempt + 1, delayMs }, 'inbox entry failed; retrying');
          const timer = setTimeout(() => {
            this.retries.delete(timer);
            this.run(id, item, attempt + 1);
          }, delayMs);
          this.retries.add(timer);
        },
      )
      .finally(() => {
        this.running -= 1;
        if (this.running === 0) for (const resolve of this.runningWaiters.splice(0)) resolve();
      });
  }

  /**
   * Acknowledges an entry whose turn is done. Entries done in the same turn
   * of the event loop (many, when the host is busy) share one call of the
   * ack script, which takes any number of ids.
   */
  private ack(id: string): Promise<void> {
    this.acks.push(id);
    this.acksSent ??= new Promise<void>((resolve) => {
      setImmediate(() => {
        const ids = this.acks.splice(0);
        this.acksSent = undefined;
        this.scripts.inboxAck(this.stream, INBOX_GROUP, ids).then(
          () => resolve(),
          (error: unknown) => {
            // The turns are done and recorded as done: a redelivery finds nothing to do and acknowledges then.
            this.logger.warn({ err: error, entryIds: ids }, 'inbox entries not acknowledged; they will be redelivered and skipped');
            resolve();
          },
        );
      });
    });
    return this.acksSent;
  }

  private release(id: string): void {
    this.inHand.delete(id);
    this.slotWaiters.shift()?.();
  }

  // ── claims ────────────────────────────────────────────────────────────

  /** Tells the group this host is alive and still has its entries (resets their idle time). */
  private async renewClaims(): Promise<void> {
    if (this.stopping || this.inHand.size === 0) return;
    try {
      // (call: ioredis's typings of XCLAIM do not take a list of ids followed by JUSTID.)
      await this.client.call('XCLAIM', this.stream, INBOX_GROUP, this.consumer, '0', ...this.inHand.keys(), 'JUSTID');
    } catch {
      // Redis away: the read loop reports it; entries stay pending either way.
    }
  }

  /** Takes over entries whose host has not renewed its claim for `claimIdleMs`, as room allows. */
  private async claimAbandoned(): Promise<void> {
    if (this.stopping || this.sweeping || !this.groupReady) return;
    this.sweeping = true;
    try {
      let cursor = '0-0';
      for (let page = 0; page < 10; page += 1) {
        const room = this.concurrency - this.inHand.size;
        if (room <= 0) break;
        const reply: unknown = await this.client.xautoclaim(
          this.stream,
          INBOX_GROUP,
          this.consumer,
          this.claimIdleMs,
          cursor,
          'COUNT',
          room,
        );
        if (!Array.isArray(reply) || typeof reply[0] !== 'string') break;
        for (const [id, fields] of streamEntryList(reply[1])) this.take(id, fields, 'claimed');
        cursor = reply[0];
        if (cursor === '0-0') break;
      }
      if ((this.sweeps += 1) % 120 === 0) await this.forgetGoneConsumers();
    } catch {
      // Redis away: the read loop reports it; the next sweep tries again.
    } finally {
      this.sweeping = false;
    }
  }

  /** Removes hosts that left long ago with nothing pending from the group's list (hygiene only). */
  private async forgetGoneConsumers(): Promise<void> {
    const reply: unknown = await this.client.xinfo('CONSUMERS', this.stream, INBOX_GROUP);
    if (!Array.isArray(reply)) return;
    for (const consumer of reply) {
      if (!Array.isArray(consumer)) continue;
      const info = new Map<string, unknown>();
      for (let i = 0; i + 1 < consumer.length; i += 2) info.set(String(consumer[i]), consumer[i + 1]);
      const name = info.get('name');
      if (typeof name !== 'string' || name === this.consumer) continue;
      if (info.get('pending') === 0 && Number(info.get('idle')) > FORGET_CONSUMER_AFTER_MS) {
        await this.client.xgroup('DELCONSUMER', this.stream, INBOX_GROUP, name);
      }
    }
  }
}

/** The item an entry carries (fields c, e and r), or undefined when it is not one. */
function itemFromFields(fields: string[]): InboxItem | undefined {
  const map = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) map.set(fields[i] as string, fields[i + 1] as string);
  const conversationId = map.get('c');
  const entryId = Number(map.get('e'));
  if (!conversationId || !Number.isSafeInteger(entryId) || entryId < 1) return undefined;
  const requestId = map.get('r');
  return { conversationId, entryId, ...(requestId ? { requestId } : {}) };
}

/** XREADGROUP's reply for one stream: [[stream, [[id, fields], …]]] or null. */
function streamEntries(reply: unknown): [string, string[] | null][] {
  if (!Array.isArray(reply)) return [];
  const [first] = reply as unknown[];
  return Array.isArray(first) ? streamEntryList(first[1]) : [];
}

/** [[id, fields], …]; fields are null for an entry deleted while pending. */
function streamEntryList(list: unknown): [string, string[] | null][] {
  if (!Array.isArray(list)) return [];
  const entries: [string, string[] | null][] = [];
  for (const entry of list as unknown[]) {
    if (!Array.isArray(entry) || typeof entry[0] !== 'string') continue;
    const fields: unknown = entry[1];
    entries.push([entry[0], Array.isArray(fields) ? fields.map(String) : null]);
  }
  return entries;
}

/** The ids of an XRANGE / XREVRANGE reply. */
function entryIds(reply: unknown): string[] {
  return streamEntryList(reply).map(([id]) => id);
}
