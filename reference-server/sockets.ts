// Every TCP connection of the HTTP server, so that close() and the crash-* faults can end them all,
// and which of them have not yet finished a request head (for the stall-on-slow-handshake fault).
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export class SocketTracker {
  private seq = 0;
  private readonly all = new Set<Socket>();
  /** sockets whose first request head is not complete yet → their arrival number */
  private readonly halfOpen = new Map<Socket, number>();

  add(socket: Socket): void {
    // an unhandled 'error' on a socket would crash Node (C4)
    socket.on('error', () => {});
    this.all.add(socket);
    this.halfOpen.set(socket, ++this.seq);
    socket.once('close', () => {
      this.all.delete(socket);
      this.halfOpen.delete(socket);
    });
  }

  /** the socket has sent a complete request head; returns its arrival number */
  headComplete(socket: Socket): number {
    const n = this.halfOpen.get(socket) ?? this.seq;
    this.halfOpen.delete(socket);
    return n;
  }

  /**
   * Fault `stall-on-slow-handshake` only: wait while a connection that arrived before `seq` has
   * not finished its request head (a correct server serves each connection independently, C4).
   */
  async waitForOlderHalfOpen(seq: number): Promise<void> {
    const older = () => [...this.halfOpen.values()].some((n) => n < seq);
    while (older()) await sleep(25);
  }

  destroyAll(): void {
    for (const s of this.all) s.destroy();
  }

  get size(): number {
    return this.all.size;
  }
}
