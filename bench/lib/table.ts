/** One line of the `npm run bench` table. */
export interface BenchRow {
  benchmark: string;
  case: string;
  /** The figure as measured, with its unit. */
  measured: string;
  /** The ratio the target is stated in (ours to the reference), or '-'. */
  ratio: string;
  target: string;
}

export const ms = (value: number) => `${value.toFixed(value < 10 ? 2 : 0)} ms`;
export const ratio = (value: number) => `${value.toFixed(2)}x`;

/** The median of some numbers. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? Number.NaN) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}
