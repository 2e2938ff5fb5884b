/** One scrape of `GET /metrics`: each series as printed (`name{labels}`) to its value. */
export type Scrape = Map<string, number>;

export async function scrape(url: string): Promise<Scrape> {
  const response = await fetch(`${url}/metrics`);
  if (response.status !== 200) throw new Error(`/metrics answered ${response.status}`);
  const series: Scrape = new Map();
  for (const line of (await response.text()).split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    series.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return series;
}

/**
 * A series' value (`name{labels}` as printed), or the sum over every label set of a metric
 * named without labels; throws when there is none.
 */
export function seriesValue(scrape: Scrape, series: string): number {
  if (series.includes('{')) {
    const value = scrape.get(series);
    if (value === undefined) throw new Error(`no series ${series} in the scrape`);
    return value;
  }
  const matching = [...scrape].filter(([key]) => key === series || key.startsWith(`${series}{`));
  if (matching.length === 0) throw new Error(`no series ${series} in the scrape`);
  return matching.reduce((sum, [, value]) => sum + value, 0);
}

/** How much a series (or a metric over all its labels) grew between two scrapes; absent before counts as 0. */
export function growth(before: Scrape, after: Scrape, series: string): number {
  const last = seriesValue(after, series);
  let first = 0;
  try {
    first = seriesValue(before, series);
  } catch {}
  return last - first;
}
