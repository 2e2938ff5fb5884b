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

/** How much a series grew between two scrapes (a series absent before counts from 0). */
export function growth(before: Scrape, after: Scrape, series: string): number {
  const last = after.get(series);
  if (last === undefined) throw new Error(`no series ${series} in the scrape`);
  return last - (before.get(series) ?? 0);
}
