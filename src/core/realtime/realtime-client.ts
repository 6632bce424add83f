import type { AuthState } from '../request-info.js';
import type { Subscription } from './realtime-subscriptions.js';

/**
 * What a transport gives the broker for one connection. `send` must not block and must bound
 * its own buffering: a transport that cannot keep up closes the connection (and then calls
 * `broker.disconnect`), it never queues without limit.
 */
export interface RealtimeSink {
  /** Writes one event: `name` is the subscription string (or `PB_CONNECT`), `data` JSON text. */
  send(name: string, data: string, clientId: string): void;
  /** Ends the connection from the server side (idle, max lifetime, shutdown). */
  close(reason: RealtimeCloseReason): void;
}

export type RealtimeCloseReason = 'idle' | 'max_lifetime' | 'shutdown' | 'slow_consumer' | 'replaced';

/** How long a connection may live; 0 disables a limit. */
export interface ConnectionLimits {
  /** Closes the connection when nothing was sent for this long (PocketBase: 5 minutes). */
  idleTimeoutMs: number;
  /** Closes the connection this long after it opened (PocketBase: 30 minutes). */
  maxLifetimeMs: number;
}

/**
 * One realtime connection as the broker tracks it: its subscriptions, the auth bound by its
 * last subscription request, and the address it connected from.
 */
export class RealtimeClient {
  /** Auth bound by the last accepted subscription request (null: guest). */
  auth: AuthState | null = null;
  subscriptions = new Map<string, Subscription>();
  readonly connectedAt: number;
  lastSentAt: number;
  #closed = false;

  constructor(
    readonly id: string,
    private readonly sink: RealtimeSink,
    /** The IP the connection came from ('' when unknown: not checked). */
    readonly ip: string,
    readonly limits: ConnectionLimits,
    now = Date.now(),
  ) {
    this.connectedAt = now;
    this.lastSentAt = now;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Sends one event unless the client is gone. */
  send(name: string, data: string): void {
    if (this.#closed) return;
    this.lastSentAt = Date.now();
    this.sink.send(name, data, this.id);
  }

  /** Marks the client gone; with a reason, also asks the transport to end the connection. */
  markClosed(reason?: RealtimeCloseReason): void {
    if (this.#closed) return;
    this.#closed = true;
    if (reason) this.sink.close(reason);
  }

  /** Why the connection should end at `now`, if it should. */
  expired(now: number): RealtimeCloseReason | null {
    const { idleTimeoutMs, maxLifetimeMs } = this.limits;
    if (maxLifetimeMs > 0 && now - this.connectedAt >= maxLifetimeMs) return 'max_lifetime';
    if (idleTimeoutMs > 0 && now - this.lastSentAt >= idleTimeoutMs) return 'idle';
    return null;
  }
}
