import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/logger.ts';

/** A pino destination that keeps every line, parsed, so tests assert on objects (pino's own test style). */
export class LogSink extends Writable {
  readonly lines: Record<string, unknown>[] = [];
  readonly raw: string[] = [];

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim() === '') continue;
      this.raw.push(line);
      this.lines.push(JSON.parse(line) as Record<string, unknown>);
    }
    done();
  }

  /** The whole log as text, for "this secret appears nowhere" checks. */
  get text(): string {
    return this.raw.join('\n');
  }
}

export function createTestLogger(level = 'info'): { logger: Logger; sink: LogSink } {
  const sink = new LogSink();
  return { logger: createLogger({ level, logContent: false }, sink), sink };
}
