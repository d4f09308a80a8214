import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { FAULT_LOG_DIR } from './host-process.ts';

/**
 * Prints a fault test's counts (accepted, replied, duplicated, lost…) and
 * appends them to test-results/faults/counts.jsonl, so a CI log and a local
 * run both show what happened, not only that the assertions held.
 */
export function report(fault: string, counts: Record<string, unknown>): void {
  const line = JSON.stringify({ fault, at: new Date().toISOString(), ...counts });
  process.stdout.write(`\n[fault] ${fault}: ${JSON.stringify(counts)}\n`);
  mkdirSync(FAULT_LOG_DIR, { recursive: true });
  appendFileSync(path.join(FAULT_LOG_DIR, 'counts.jsonl'), `${line}\n`);
}
