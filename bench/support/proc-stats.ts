import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

/**
 * What the OS says about a process (Linux /proc): CPU time and memory, read
 * from outside, so the process measured does no work for its measurement
 * and any process can be measured the same way (a host, a bare server).
 */

/** Clock ticks per second, the unit of /proc/<pid>/stat's times (almost always 100). */
const CLOCK_TICKS = ((): number => {
  try {
    const ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return Number.isInteger(ticks) && ticks > 0 ? ticks : 100;
  } catch {
    return 100;
  }
})();

/**
 * User plus system CPU time in clock ticks from the text of /proc/<pid>/stat.
 * The command name (field 2) is in parentheses and may hold spaces, so the
 * fields are counted from its closing parenthesis: utime and stime are the
 * 14th and 15th fields of the line, the 12th and 13th after the name.
 */
export function parseStatCpuTicks(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) throw new Error('unexpected /proc/<pid>/stat format');
  return utime + stime;
}

/** A `Name:   1234 kB` field of /proc/<pid>/status, in kB. */
export function parseStatusKb(status: string, field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status);
  if (!match?.[1]) throw new Error(`no ${field} in /proc/<pid>/status`);
  return Number(match[1]);
}

/** CPU time (user + system) the process has used so far, in ms (10 ms resolution at 100 ticks a second). */
export function processCpuMs(pid: number): number {
  return (parseStatCpuTicks(readFileSync(`/proc/${pid}/stat`, 'utf8')) * 1000) / CLOCK_TICKS;
}

/** Resident memory now (VmRSS), in MB. */
export function processRssMb(pid: number): number {
  return parseStatusKb(readFileSync(`/proc/${pid}/status`, 'utf8'), 'VmRSS') / 1024;
}

/** Peak resident memory (VmHWM) since the process started or since `resetPeakRss`, in MB. */
export function processPeakRssMb(pid: number): number {
  return parseStatusKb(readFileSync(`/proc/${pid}/status`, 'utf8'), 'VmHWM') / 1024;
}

/**
 * Starts VmHWM again from the current RSS (writing 5 to clear_refs), so the
 * peak read later is the peak under load, not of start-up (training the
 * intent model, compiling). Whether the kernel allowed it is returned: when
 * not, the peak includes start-up.
 */
export function resetPeakRss(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}
