import type { Request, Response } from 'express';

/** Keeps proxies and load balancers from closing a quiet stream. */
const KEEPALIVE_MS = 15_000;

export interface EventStream {
  send(event: string, data: unknown, id?: number): void;
  readonly closed: boolean;
  onClose(listener: () => void): void;
}

/**
 * Server-Sent Events on one response. Open streams are tracked so a graceful
 * shutdown can end them; otherwise the server would wait on them forever.
 */
export class EventStreams {
  private readonly open = new Set<Response>();

  start(req: Request, res: Response): EventStream {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.flushHeaders();
    this.open.add(res);
    let closed = false;
    const listeners: (() => void)[] = [];
    const keepalive = setInterval(() => res.write(': ping\n\n'), KEEPALIVE_MS);
    req.on('close', () => {
      closed = true;
      clearInterval(keepalive);
      this.open.delete(res);
      for (const listener of listeners) listener();
    });
    return {
      send(event, data, id) {
        if (closed) return;
        const idLine = id === undefined ? '' : `id: ${id}\n`;
        // JSON never contains a raw newline, so one data line is always enough.
        res.write(`${idLine}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      },
      get closed() {
        return closed;
      },
      onClose(listener) {
        listeners.push(listener);
      },
    };
  }

  get size(): number {
    return this.open.size;
  }

  /** Ends every open stream (clients reconnect to another host or after the restart). */
  closeAll(): void {
    for (const res of this.open) res.end();
    this.open.clear();
  }
}
