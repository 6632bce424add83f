import type { CollectionModel } from '../collections/collection-model.js';
import { PlinthError, errors, type ErrorCode, type ErrorData } from '../errors/plinth-error.js';
import type { AfterCommit, RecordEvent, RecordEvents, Unsubscribe } from '../events/record-events.js';
import { DEFAULT_ALPHABET, randomString } from '../fields/random.js';
import type { AuthState, RecordData } from '../request-info.js';
import type { PubSub } from './pubsub.js';
import { RealtimeClient, type ConnectionLimits, type RealtimeCloseReason, type RealtimeSink } from './realtime-client.js';
import { buildDeliveries, topicsFor, type Delivery, type RealtimeRecords, type Target } from './realtime-fanout.js';
import { parseSubscription, type SubscribeForm, type Subscription } from './realtime-subscriptions.js';

/** PocketBase's SSE limits: 5 minutes without a message, 30 minutes in all. */
export const DEFAULT_LIMITS: ConnectionLimits = { idleTimeoutMs: 5 * 60_000, maxLifetimeMs: 30 * 60_000 };

const CHANNEL = 'plinth:realtime';

export interface RealtimeBrokerOptions {
  records: RealtimeRecords;
  /** Finds a collection by id (for events that come from other nodes). */
  findCollection: (id: string) => CollectionModel | undefined;
  events: RecordEvents;
  /**
   * How events reach the other nodes. Omit it on a single node: events are then delivered only
   * locally, and nothing is serialised for a peer that does not exist.
   */
  pubsub?: PubSub;
  /** Limits of connections that do not bring their own (default: PocketBase's, {@link DEFAULT_LIMITS}). */
  limits?: ConnectionLimits;
  /** How often idle and expired connections are looked for (default 10 s). */
  sweepIntervalMs?: number;
  /** Unexpected errors (default console.error). */
  logError?: (error: unknown) => void;
}

type WireAuth = { collectionId: string; record: RecordData } | null;

type WireMessage =
  | { t: 'record'; node: string; action: 'create' | 'update' | 'delete'; collectionId: string; record: RecordData }
  | { t: 'direct'; node: string; clientId: string; topic: string; data: string }
  | { t: 'subscribe'; node: string; req: string; form: SubscribeForm; auth: WireAuth; ip: string }
  | { t: 'subscribed'; node: string; req: string; to: string; error?: { code: ErrorCode; message: string; data: ErrorData } };

/** How long a subscription request waits for the node that holds the client's stream. */
const REMOTE_SUBSCRIBE_TIMEOUT_MS = 2000;

interface IndexEntry {
  client: RealtimeClient;
  sub: Subscription;
}

/**
 * The realtime broker, transport-agnostic: SSE and WebSocket connections register here, set
 * their subscriptions, and receive record events checked per subscriber through the records
 * service (the collection's list rule for `collection/*`, view rule for `collection/id`, the
 * subscription's filter, hidden fields redacted). It learns of writes from the core's record
 * events, and shares them with other nodes through the PubSub port.
 */
export class RealtimeBroker {
  readonly nodeId = randomString(12);
  /** Limits given to new connections that do not bring their own (SSE). */
  connectionLimits: ConnectionLimits;
  readonly #clients = new Map<string, RealtimeClient>();
  readonly #index = new Map<string, Set<IndexEntry>>();
  readonly #entries = new Map<RealtimeClient, IndexEntry[]>();
  readonly #prepared = new WeakSet<RecordEvent>();
  readonly #records: RealtimeRecords;
  readonly #options: RealtimeBrokerOptions;
  readonly #logError: (error: unknown) => void;
  #queue: Promise<void> = Promise.resolve();
  readonly #pendingSubscribes = new Map<string, { resolve: () => void; reject: (error: PlinthError) => void }>();
  #unsubscribers: Unsubscribe[] = [];
  #pubsubOff: (() => Promise<void>) | null = null;
  #sweeper: ReturnType<typeof setInterval> | null = null;
  #closed = false;

  constructor(options: RealtimeBrokerOptions) {
    this.#options = options;
    this.connectionLimits = options.limits ?? DEFAULT_LIMITS;
    this.#records = options.records;
    this.#logError = options.logError ?? ((error) => console.error('realtime:', error));
  }

  /** Starts listening to record events and to the other nodes. */
  async start(): Promise<void> {
    const { events, pubsub } = this.#options;
    this.#unsubscribers = [
      events.onCommitted((written) => this.#onCommitted(written)),
      events.onPrepareDelete((event) => this.#prepareDelete(event)),
    ];
    if (pubsub) this.#pubsubOff = await pubsub.subscribe(CHANNEL, (message) => this.#onWire(message));
    this.#sweeper = setInterval(() => this.sweep(), this.#options.sweepIntervalMs ?? 10_000);
    this.#sweeper.unref();
  }

  get clientCount(): number {
    return this.#clients.size;
  }

  /** The connected client, or undefined. */
  client(id: string): RealtimeClient | undefined {
    return this.#clients.get(id);
  }

  /** Registers a new connection and sends it `PB_CONNECT` with its client id. */
  connect(sink: RealtimeSink, options: { ip?: string; limits?: ConnectionLimits } = {}): RealtimeClient {
    if (this.#closed) throw errors.badRequest('The realtime service is shutting down.');
    let id = randomString(40, DEFAULT_ALPHABET);
    while (this.#clients.has(id)) id = randomString(40, DEFAULT_ALPHABET);
    const client = new RealtimeClient(id, sink, options.ip ?? '', options.limits ?? this.connectionLimits);
    this.#clients.set(id, client);
    client.send('PB_CONNECT', JSON.stringify({ clientId: id }));
    return client;
  }

  /** Forgets a connection (the transport saw it close, or asks to end it with `reason`). */
  disconnect(clientId: string, reason?: RealtimeCloseReason): void {
    const client = this.#clients.get(clientId);
    if (!client) return;
    this.#clients.delete(clientId);
    this.#unindex(client);
    client.markClosed(reason);
  }

  /**
   * Replaces a client's subscriptions (`POST /api/realtime`). The caller's auth is bound to the
   * client: a guest client may become authenticated, but an authenticated client only accepts
   * requests with the same auth (403); the request must come from the connection's IP (400).
   */
  setSubscriptions(form: SubscribeForm, auth: AuthState | null, ip: string): void {
    const client = this.#clients.get(form.clientId);
    if (!client || client.closed) throw errors.notFound('Missing or invalid client id.');
    if (client.ip !== '' && ip !== '' && client.ip !== ip) throw errors.badRequest('Invalid realtime client.');
    if (client.auth && !sameAuth(client.auth, auth)) {
      throw errors.forbidden("The current and the previous request authorization don't match.");
    }
    client.auth = auth;
    this.#unindex(client);
    client.subscriptions = new Map();
    for (const raw of form.subscriptions) {
      if (raw === '') continue;
      client.subscriptions.set(raw, parseSubscription(raw));
    }
    this.#reindex(client);
  }

  /**
   * `POST /api/realtime` on any node of a cluster: {@link setSubscriptions} here when the client's
   * stream is here, else on the node that holds it (over the PubSub port, waiting for its answer),
   * so a load balancer needs no sticky sessions. 404 when no node has the client.
   */
  async subscribe(form: SubscribeForm, auth: AuthState | null, ip: string): Promise<void> {
    if (this.#clients.has(form.clientId) || !this.#options.pubsub) return this.setSubscriptions(form, auth, ip);
    const req = randomString(20);
    const answered = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pendingSubscribes.delete(req);
        reject(errors.notFound('Missing or invalid client id.'));
      }, REMOTE_SUBSCRIBE_TIMEOUT_MS);
      this.#pendingSubscribes.set(req, {
        resolve: () => (clearTimeout(timer), resolve()),
        reject: (error) => (clearTimeout(timer), reject(error)),
      });
    });
    const wireAuth: WireAuth = auth ? { collectionId: auth.collection.id, record: auth.record } : null;
    await this.#publish({ t: 'subscribe', node: this.nodeId, req, form, auth: wireAuth, ip });
    return answered;
  }

  /** Whether the client is connected here and subscribed to exactly `topic`. */
  hasSubscription(clientId: string, topic: string): boolean {
    return this.#clients.get(clientId)?.subscriptions.has(topic) ?? false;
  }

  /**
   * Sends one message to one client (the OAuth2 all-in-one flow's `@oauth2` topic); `data` is any
   * JSON value (it is JSON-encoded, so pass an object, not JSON text). Unless
   * `force`, only a client subscribed to `topic` receives it. Resolves to whether the client was
   * connected to this node; otherwise the message is passed on to the other nodes.
   */
  async sendToClient(clientId: string, topic: string, data: unknown, options: { force?: boolean } = {}): Promise<boolean> {
    const text = JSON.stringify(data ?? null);
    if (this.#deliverDirect(clientId, topic, text, options.force === true)) return true;
    if (!this.#clients.has(clientId)) {
      await this.#publish({ t: 'direct', node: this.nodeId, clientId, topic: options.force ? `!${topic}` : topic, data: text });
    }
    return false;
  }

  /** Ends connections that were idle or open for too long. */
  sweep(now = Date.now()): void {
    for (const client of [...this.#clients.values()]) {
      const reason = client.expired(now);
      if (reason) this.disconnect(client.id, reason);
    }
  }

  /** Resolves once every event received so far has been delivered (tests, benchmarks). */
  async idle(): Promise<void> {
    let tail: Promise<void>;
    do {
      tail = this.#queue;
      await tail;
    } while (tail !== this.#queue);
  }

  /** Stops listening and ends every connection. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#sweeper) clearInterval(this.#sweeper);
    for (const off of this.#unsubscribers) off();
    for (const client of [...this.#clients.values()]) this.disconnect(client.id, 'shutdown');
    await this.#pubsubOff?.();
    await this.#queue;
  }

  // --- events ------------------------------------------------------------------------------------

  /**
   * A committed write: its checks start now and the writer awaits them (as PocketBase's do), so
   * the client's next write cannot change what they see: a create followed at once by a delete
   * still reaches the subscribers who could see the record. Nothing is awaited without targets.
   */
  #onCommitted(written: readonly RecordEvent[]): Promise<void> | undefined {
    let checks: Promise<void>[] | undefined;
    for (const event of written) {
      const { action, collection, record } = event;
      if (collection.type === 'auth') this.#syncClientAuth(action, collection, record);
      if (action !== 'delete' || !this.#prepared.has(event)) {
        const checked = this.#fanOut(action, collection, record, action !== 'delete');
        if (checked) (checks ??= []).push(checked);
      }
      void this.#publish({ t: 'record', node: this.nodeId, action, collectionId: collection.id, record });
    }
    return checks && Promise.all(checks).then(() => undefined);
  }

  /** Checks a delete for local subscribers while the record can still be queried. */
  async #prepareDelete(event: RecordEvent): Promise<AfterCommit | void> {
    this.#prepared.add(event);
    const targets = this.#targets(event.collection, event.record.id);
    if (targets.length === 0) return;
    const deliveries = await buildDeliveries(this.#records, 'delete', event.collection, event.record, targets);
    if (deliveries.length === 0) return;
    return () => this.#enqueue(async () => send(deliveries));
  }

  #onWire(message: string): void {
    let wire: WireMessage;
    try {
      wire = JSON.parse(message) as WireMessage;
    } catch {
      return;
    }
    if (wire.node === this.nodeId) return;
    if (wire.t === 'subscribe') return this.#onRemoteSubscribe(wire);
    if (wire.t === 'subscribed') {
      if (wire.to !== this.nodeId) return;
      const pending = this.#pendingSubscribes.get(wire.req);
      this.#pendingSubscribes.delete(wire.req);
      if (wire.error) pending?.reject(new PlinthError(wire.error.code, wire.error.message, wire.error.data));
      else pending?.resolve();
      return;
    }
    if (wire.t === 'direct') {
      const force = wire.topic.startsWith('!');
      this.#deliverDirect(wire.clientId, force ? wire.topic.slice(1) : wire.topic, wire.data, force);
      return;
    }
    const collection = this.#options.findCollection(wire.collectionId);
    if (!collection) return;
    if (collection.type === 'auth') this.#syncClientAuth(wire.action, collection, wire.record);
    // a record deleted on another node can no longer be queried here: rule-free checks only
    void this.#fanOut(wire.action, collection, wire.record, wire.action !== 'delete');
  }

  /** Another node's `POST /api/realtime` for a client of this node: apply it and answer. */
  #onRemoteSubscribe(wire: Extract<WireMessage, { t: 'subscribe' }>): void {
    if (!this.#clients.has(wire.form.clientId)) return;
    const collection = wire.auth ? this.#options.findCollection(wire.auth.collectionId) : undefined;
    const auth = wire.auth && collection ? { collection, record: wire.auth.record } : null;
    let error: Extract<WireMessage, { t: 'subscribed' }>['error'];
    try {
      this.setSubscriptions(wire.form, auth, wire.ip);
    } catch (err) {
      const e = err instanceof PlinthError ? err : errors.badRequest();
      error = { code: e.code, message: e.message, data: e.data };
    }
    void this.#publish({ t: 'subscribed', node: this.nodeId, req: wire.req, to: wire.node, error });
  }

  /**
   * Starts the checks of one event for its targets and queues the sending behind earlier events
   * (messages keep the order of the writes); resolves once checked, undefined without targets.
   */
  #fanOut(action: RecordEvent['action'], collection: CollectionModel, record: RecordData, dbChecks: boolean): Promise<void> | undefined {
    if (this.#clients.size === 0) return;
    const targets = this.#targets(collection, record.id);
    if (targets.length === 0) return;
    const deliveries = buildDeliveries(this.#records, action, collection, record, targets, dbChecks);
    this.#enqueue(async () => send(await deliveries));
    return deliveries.then(noop, noop); // a failure is logged once, by the queue
  }

  #enqueue(task: () => Promise<void>): void {
    this.#queue = this.#queue.then(task).catch((error: unknown) => this.#logError(error));
  }

  /** Keeps the auth bound to clients current: refreshed on update, dropped on delete or new tokenKey. */
  #syncClientAuth(action: RecordEvent['action'], collection: CollectionModel, record: RecordData): void {
    if (action === 'create') return;
    for (const client of this.#clients.values()) {
      const auth = client.auth;
      if (!auth || auth.record.id !== record.id || auth.collection.id !== collection.id) continue;
      if (action === 'delete' || auth.record['tokenKey'] !== record['tokenKey']) client.auth = null;
      else client.auth = { collection, record };
    }
  }

  async #publish(wire: WireMessage): Promise<void> {
    const { pubsub } = this.#options;
    if (!pubsub) return;
    try {
      await pubsub.publish(CHANNEL, JSON.stringify(wire));
    } catch (error) {
      this.#logError(error);
    }
  }

  #deliverDirect(clientId: string, topic: string, data: string, force: boolean): boolean {
    const client = this.#clients.get(clientId);
    if (!client || client.closed) return false;
    if (!force && !client.subscriptions.has(topic)) return false;
    client.send(topic, data);
    return true;
  }

  // --- subscription index ------------------------------------------------------------------------

  #targets(collection: CollectionModel, recordId: string): Target[] {
    const out: Target[] = [];
    for (const [topic, rule] of topicsFor(collection, recordId)) {
      const entries = this.#index.get(topic);
      if (!entries) continue;
      for (const { client, sub } of entries) out.push({ client, sub, rule });
    }
    return out;
  }

  #reindex(client: RealtimeClient): void {
    const own: IndexEntry[] = [];
    for (const sub of client.subscriptions.values()) {
      let entries = this.#index.get(sub.topic);
      if (!entries) {
        entries = new Set();
        this.#index.set(sub.topic, entries);
      }
      const entry = { client, sub };
      entries.add(entry);
      own.push(entry);
    }
    if (own.length > 0) this.#entries.set(client, own);
  }

  #unindex(client: RealtimeClient): void {
    for (const entry of this.#entries.get(client) ?? []) {
      const entries = this.#index.get(entry.sub.topic);
      if (!entries) continue;
      entries.delete(entry);
      if (entries.size === 0) this.#index.delete(entry.sub.topic);
    }
    this.#entries.delete(client);
  }
}

function noop(): void {}

function send(deliveries: readonly Delivery[]): void {
  for (const d of deliveries) d.client.send(d.name, d.data);
}

function sameAuth(a: AuthState | null, b: AuthState | null): boolean {
  if (!a || !b) return a === b;
  return a.record.id === b.record.id && a.collection.id === b.collection.id;
}
