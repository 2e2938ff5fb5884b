import { readFileSync } from 'node:fs';

export interface UsageSummary {
  /** Resident set size when sampling started, and the largest sampled, in MB. */
  startRssMb: number;
  peakRssMb: number;
  /** Mean CPU cores used over the sampling (user + system time of every thread / wall time). */
  cpuCores: number;
}

const clockTicks = 100; // USER_HZ on Linux
const rssMb = (pid: number) => {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? 0) / 1024;
};
const cpuSeconds = (pid: number) => {
  // Fields after the command name, which sits in parentheses and may hold spaces.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / clockTicks;
};

/** Samples a process's RSS every `everyMs` until stopped; Linux /proc only. */
export function sampleUsage(pid: number, everyMs = 100): { stop(): UsageSummary } {
  const startRss = rssMb(pid);
  const startCpu = cpuSeconds(pid);
  const started = performance.now();
  let peak = startRss;
  const timer = setInterval(() => {
    peak = Math.max(peak, rssMb(pid));
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      peak = Math.max(peak, rssMb(pid));
      const seconds = (performance.now() - started) / 1000;
      return {
        startRssMb: Math.round(startRss),
        peakRssMb: Math.round(peak),
        cpuCores: Math.round(((cpuSeconds(pid) - startCpu) / seconds) * 100) / 100,
      };
    },
  };
}
