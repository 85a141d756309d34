// Counters behind GET /metrics (Prometheus text format). Plain numbers: incrementing them is the
// only cost on the hot path.
export class ServerMetrics {
  connectionsOpen = 0;
  connectionsTotal = 0;
  messagesIn = 0;
  messagesOut = 0;
  framesDropped = 0;
  rateLimitRejections = 0;
  upgradesRejected = 0;

  toPrometheus(): string {
    const line = (name: string, type: 'gauge' | 'counter', help: string, value: number) =>
      `# HELP wsconform_${name} ${help}\n# TYPE wsconform_${name} ${type}\nwsconform_${name} ${value}\n`;
    return (
      line('connections_open', 'gauge', 'Open WebSocket connections.', this.connectionsOpen) +
      line('connections_total', 'counter', 'WebSocket connections accepted.', this.connectionsTotal) +
      line('messages_in_total', 'counter', 'WebSocket messages received.', this.messagesIn) +
      line('messages_out_total', 'counter', 'WebSocket messages sent.', this.messagesOut) +
      line('frames_dropped_total', 'counter', 'Broadcast frames dropped for slow clients.', this.framesDropped) +
      line('rate_limit_rejections_total', 'counter', 'Messages or connections refused by a rate limit.', this.rateLimitRejections) +
      line('upgrades_rejected_total', 'counter', 'Upgrade requests refused before the handshake.', this.upgradesRejected)
    );
  }
}
