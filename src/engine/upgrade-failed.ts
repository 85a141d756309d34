// Whether a canary's refused upgrade means the target completes no WebSocket upgrade at all (the
// runner then ends every case but the handshake cases `error` at once), or only refuses this
// request: a 401 or 403 is a policy (authentication, an origin allow-list) that a case sending the
// right header may pass, so those cases still run.
export function upgradeFailed(status: number): boolean {
  return status !== 401 && status !== 403;
}
