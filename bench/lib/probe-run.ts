/** What bench/probe-loop.ts prints: probes of one run, times in ms from its start. */
export interface ProbeRun {
  duration: number;
  /** When each probe answered 200, and how long each took. */
  completions: number[];
  latencies: number[];
  /** No answer within 1 s. */
  timeouts: number;
  /** Connection errors, and answers other than 200 by status: failures, but not timeouts. */
  errors: number;
  failedStatuses: Record<string, number>;
}

/** Probes that failed without timing out, e.g. `503 x 2, 1 connection errors`; '0' when none. */
export const otherFailures = (run: ProbeRun) =>
  [
    ...Object.entries(run.failedStatuses).map(([status, count]) => `${status} x ${count}`),
    ...(run.errors ? [`${run.errors} connection errors`] : []),
  ].join(', ') || '0';
