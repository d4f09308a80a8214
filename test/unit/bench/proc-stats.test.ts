import { describe, expect, it } from 'vitest';
import { parseStatCpuTicks, parseStatusKb, processCpuMs, processPeakRssMb, processRssMb } from '../../../bench/support/proc-stats.ts';

describe('/proc readers', () => {
  it('reads utime + stime after the command name, even one with spaces and parentheses', () => {
    // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime …
    const stat = '4242 (node (bench) x) S 1 4242 4242 0 -1 4194304 9000 0 12 0 1234 567 0 0 20 0 11 0 50734 3133440 413';
    expect(parseStatCpuTicks(stat)).toBe(1234 + 567);
  });

  it('refuses a stat line it does not understand rather than report nonsense', () => {
    expect(() => parseStatCpuTicks('4242 (node) S 1')).toThrow(/stat/);
  });

  it('reads kB fields of /proc/<pid>/status', () => {
    const status = 'Name:\tnode\nVmPeak:\t 1048576 kB\nVmHWM:\t  204800 kB\nVmRSS:\t  190000 kB\n';
    expect(parseStatusKb(status, 'VmHWM')).toBe(204800);
    expect(parseStatusKb(status, 'VmRSS')).toBe(190000);
    expect(() => parseStatusKb(status, 'VmSwap')).toThrow(/VmSwap/);
  });

  it.runIf(process.platform === 'linux')('measures this very process', () => {
    const before = processCpuMs(process.pid);
    let spin = 0;
    for (const startedAt = Date.now(); Date.now() - startedAt < 50; ) spin += 1;
    expect(spin).toBeGreaterThan(0);
    expect(processCpuMs(process.pid)).toBeGreaterThan(before);
    expect(processRssMb(process.pid)).toBeGreaterThan(10);
    expect(processPeakRssMb(process.pid)).toBeGreaterThanOrEqual(processRssMb(process.pid) - 1);
  });
});
