// Reads the target's own count of frames it dropped for slow clients from its Prometheus /metrics
// (the reference server's `wsconform_frames_dropped_total`). Any failure means "unknown" (null),
// never 0: a target without the counter did not report zero drops.

export const DROPPED_METRIC = 'wsconform_frames_dropped_total';

/** http(s)://host:port/metrics of a ws(s):// target. */
export function metricsUrl(wsUrl: string): string {
  const u = new URL(wsUrl);
  u.protocol = u.protocol === 'wss:' ? 'https:' : 'http:';
  u.pathname = '/metrics';
  u.search = '';
  return u.toString();
}

/** The value of an un-labelled (or summed labelled) counter in Prometheus text format. */
export function parseCounter(text: string, name: string): number | null {
  let total: number | null = null;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const rest = line.slice(name.length);
    if (rest[0] !== ' ' && rest[0] !== '{') continue;
    const value = Number(
      rest
        .replace(/^\{[^}]*\}/, '')
        .trim()
        .split(/\s+/)[0],
    );
    if (Number.isFinite(value)) total = (total ?? 0) + value;
  }
  return total;
}

export async function scrapeCounter(url: string, name: string, timeoutMs = 500): Promise<number | null> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) return null;
    return parseCounter(await res.text(), name);
  } catch {
    return null;
  }
}
