import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino, type Logger } from 'pino';

/** A pino logger whose lines are kept in memory, for asserting on warnings. */
export function recordingLogger(): { logger: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino(
    { level: 'debug' },
    {
      write(line: string) {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      },
    },
  );
  return { logger, lines };
}

export const messagesAt = (lines: Array<Record<string, unknown>>, level: number): unknown[] =>
  lines.filter((line) => line.level === level).map((line) => line.msg);

export const WARN = 40;

/** A fresh temporary directory; remove it with `removeDir`. */
export const makeTempDir = (prefix: string): Promise<string> => mkdtemp(path.join(tmpdir(), prefix));

export const removeDir = (dir: string): Promise<void> => rm(dir, { recursive: true, force: true });

/** Writes `intentsDir/<locale>/<file>` for each entry, JSON-encoding objects. */
export async function writeCorpusFiles(
  intentsDir: string,
  files: Record<string, unknown>,
): Promise<void> {
  for (const [relative, content] of Object.entries(files)) {
    const file = path.join(intentsDir, relative);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  }
}

/** A tiny shop corpus: quick to train, enough to tell intents apart. */
export const smallCorpus = {
  name: 'Small',
  locale: 'en-US',
  data: [
    { intent: 'hello', utterances: ['hello', 'hi there', 'good morning', 'hey'] },
    { intent: 'bye', utterances: ['goodbye', 'bye there', 'see you later', 'good night'] },
    {
      intent: 'order.find',
      utterances: ['where is my order', 'where is order A1001', 'track my parcel', 'status of my order'],
    },
  ],
  entities: {
    orderNumber: { regex: '/\\b[a-z]\\d{4}\\b/gi', normalize: 'uppercase' },
    size: { options: { small: ['small', 'S'], large: ['large', 'L', 'big'] } },
  },
};
