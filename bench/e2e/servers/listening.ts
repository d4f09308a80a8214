import { once } from 'node:events';
import type { Server } from 'node:http';

/**
 * Listens on HOST:PORT (the HostProcess convention: PORT 0 is any free
 * port) and says where in the one JSON line HostProcess waits for, the
 * same line a Switchboard host logs.
 */
export async function listenAndAnnounce(server: Server, name: string): Promise<void> {
  const host = process.env.HOST ?? '127.0.0.1';
  server.listen(Number(process.env.PORT ?? 0), host);
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.stdout.write(`${JSON.stringify({ msg: `${name} is listening`, url: `http://${host}:${port}` })}\n`);
  // Stopped like a host: SIGTERM ends it.
  process.once('SIGTERM', () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
}
