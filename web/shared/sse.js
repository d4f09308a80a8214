// Server-Sent Events read over fetch: EventSource cannot send an
// Authorization header, and the chat and agent streams need one. Shared by
// the chat page and the agent console (served at /shared/).

/** Follows the HTML spec's event-stream rules for the fields the pages use ("id" is ignored: each message carries its own id, which is what resuming uses). */
export function createSseParser(onEvent) {
  let buffer = '';
  let type = '';
  let data = [];
  return (chunk) => {
    buffer += chunk;
    // A trailing "\r" may be the first half of a "\r\n" split across chunks: wait for the rest.
    const cut = buffer.endsWith('\r') ? buffer.length - 1 : buffer.length;
    const lines = buffer.slice(0, cut).split(/\r\n|\r|\n/);
    buffer = lines.pop() + buffer.slice(cut); // the last piece is an unfinished line
    for (const line of lines) {
      if (line === '') { // a blank line ends the event
        if (data.length) onEvent(type || 'message', data.join('\n'));
        [type, data] = ['', []];
        continue;
      }
      if (line.startsWith(':')) continue; // comment, e.g. the keep-alive ": ping"
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') type = value;
      else if (field === 'data') data.push(value);
    }
  };
}

/**
 * One connection to an event stream. Resolves when it ends, with
 * { status, delivered }: the HTTP status (0 when the network failed) and
 * whether any bytes arrived. `stallMs` of silence counts as a dead link (the
 * server sends a comment every 15 s).
 */
export async function readEventStream(url, { headers, signal, stallMs, onOpen, onEvent }) {
  const controller = new AbortController();
  const abort = () => controller.abort();
  signal?.addEventListener('abort', abort, { once: true });
  let stallTimer = 0;
  const alive = () => {
    clearTimeout(stallTimer);
    stallTimer = setTimeout(abort, stallMs);
  };
  let status = 0;
  let delivered = false;
  try {
    alive();
    const res = await fetch(url, {
      headers: { ...headers, Accept: 'text/event-stream' }, cache: 'no-store', signal: controller.signal,
    });
    status = res.status;
    const isStream = res.headers.get('content-type')?.includes('text/event-stream');
    if (!res.ok || !res.body || !isStream) return { status, delivered };
    onOpen?.();
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    const feed = createSseParser((type, data) => {
      let payload;
      try { payload = JSON.parse(data); } catch { return; }
      onEvent(type, payload);
    });
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      alive();
      delivered = true;
      feed(decoder.decode(value, { stream: true }));
    }
  } catch { /* network error, stall or abort: the caller decides whether to reconnect */ } finally {
    clearTimeout(stallTimer);
    signal?.removeEventListener('abort', abort);
    controller.abort(); // make sure the connection is closed
  }
  return { status, delivered };
}
