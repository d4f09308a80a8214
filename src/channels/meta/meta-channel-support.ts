import type { Logger } from '../../logger.ts';

/** The names of the variables that are not set, for a disabled channel's start-up log line. */
export function missingVariables(settings: Record<string, string | undefined>): string[] {
  return Object.entries(settings)
    .filter(([, value]) => value === undefined || value === '')
    .map(([name]) => name);
}

/** Counts of webhook events that never reach the bot, by kind (echo, delivery, read…). */
export class IgnoredEvents {
  private readonly counts = new Map<string, number>();

  add(kind: string): void {
    this.counts.set(kind, (this.counts.get(kind) ?? 0) + 1);
  }

  get size(): number {
    return this.counts.size;
  }

  has(kind: string): boolean {
    return this.counts.has(kind);
  }

  /** One log line for the batch: kinds and counts, never content. */
  log(logger: Logger, requestId: string): void {
    if (this.counts.size === 0) return;
    const level = this.counts.has('malformed') ? 'warn' : 'info';
    logger[level]({ requestId, ignored: Object.fromEntries(this.counts) }, 'webhook events not for the bot');
  }
}
