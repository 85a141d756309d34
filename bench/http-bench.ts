// --http: the target's plain HTTP side (/healthz, /metrics) measured with autocannon. This is where
// autocannon measures honestly: request/response over HTTP/1.1 keep-alive. It is not used for
// WebSocket frames, whose delivery is push, not request/response.
import autocannon from 'autocannon';

export interface HttpEndpointResult {
  path: string;
  requestsPerSecond: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  non2xx: number;
  errors: number;
}

export interface HttpSection {
  connections: number;
  durationS: number;
  /** autocannon is closed-loop: each connection waits for its answer before the next request */
  note: string;
  endpoints: HttpEndpointResult[];
}

function httpBase(wsUrl: string): string {
  const u = new URL(wsUrl);
  return `${u.protocol === 'wss:' ? 'https:' : 'http:'}//${u.host}`;
}

export async function httpSection(wsUrl: string, durationS: number, connections = 10): Promise<HttpSection> {
  const endpoints: HttpEndpointResult[] = [];
  for (const path of ['/healthz', '/metrics']) {
    const r = await autocannon({ url: httpBase(wsUrl) + path, connections, duration: durationS });
    endpoints.push({
      path,
      requestsPerSecond: r.requests.total / Math.max(r.duration, 1e-3),
      latencyMs: { p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, max: r.latency.max },
      non2xx: r.non2xx,
      errors: r.errors,
    });
  }
  return {
    connections,
    durationS,
    note: 'closed-loop (autocannon): latency is per answered request and excludes coordinated omission',
    endpoints,
  };
}
