import type { CollectionModel } from '../collections/collection-model.js';
import type { SchemaRegistry } from '../collections/schema-registry.js';
import type { PubSub } from '../realtime/pubsub.js';
import type { SettingsService } from '../settings/settings-service.js';

const CHANNEL = 'cluster';

type WireMessage = { node: string; kind: string };

export interface ClusterSyncOptions {
  pubsub: PubSub;
  nodeId: string;
  schema: SchemaRegistry;
  settings: SettingsService;
  /** Reads every collection from the database (the other node already committed its change). */
  loadCollections: () => Promise<CollectionModel[]>;
  logError?: (error: unknown) => void;
}

/**
 * Keeps the in-memory state of the nodes of a cluster in step: a collection change (rules and
 * API-key scopes included) or a settings change here is announced on the PubSub port, and every
 * other node reloads it from the database. Reloads run one at a time; announcements that arrive
 * during one are folded into one more reload. After an outage of the PubSub (Redis), {@link resync}
 * reloads everything, since announcements may have been lost.
 */
export class ClusterSync {
  #applying = false;
  #queue: Promise<void> = Promise.resolve();
  #pending = new Set<string>();
  readonly #extra = new Map<string, () => Promise<void>>();
  #off: Array<() => void | Promise<void>> = [];

  constructor(private readonly options: ClusterSyncOptions) {}

  async start(): Promise<void> {
    const { pubsub, schema, settings } = this.options;
    this.#off.push(schema.onChange(() => this.#announce('schema')));
    this.#off.push(settings.onChange(() => this.#announce('settings')));
    this.#off.push(await pubsub.subscribe(CHANNEL, (text) => this.#receive(text)));
  }

  /**
   * Keeps one more kind of cached state in step (webhooks…): returns the function that announces
   * a local change of it; other nodes run `reload` when they hear it.
   */
  track(kind: string, reload: () => Promise<void>): () => void {
    this.#extra.set(kind, reload);
    return () => this.#announce(kind);
  }

  /** Reloads everything kept in step (after the PubSub was unreachable). */
  resync(): Promise<void> {
    for (const kind of ['schema', 'settings', ...this.#extra.keys()]) this.#pending.add(kind);
    return this.#drain();
  }

  /** Waits for the reloads under way (tests). */
  idle(): Promise<void> {
    return this.#queue;
  }

  async close(): Promise<void> {
    for (const off of this.#off.splice(0)) await off();
    await this.#queue;
  }

  #announce(kind: string): void {
    if (this.#applying) return;
    const message: WireMessage = { node: this.options.nodeId, kind };
    this.options.pubsub.publish(CHANNEL, JSON.stringify(message)).catch((err: unknown) => this.#log(err));
  }

  #receive(text: string): void {
    let message: WireMessage;
    try {
      message = JSON.parse(text) as WireMessage;
    } catch {
      return;
    }
    const known = message.kind === 'schema' || message.kind === 'settings' || this.#extra.has(message.kind);
    if (message.node === this.options.nodeId || !known) return;
    this.#pending.add(message.kind);
    void this.#drain();
  }

  #drain(): Promise<void> {
    this.#queue = this.#queue.then(async () => {
      const kinds = [...this.#pending];
      this.#pending.clear();
      for (const kind of kinds) {
        try {
          if (kind === 'schema') {
            const collections = await this.options.loadCollections();
            this.#applying = true;
            try {
              this.options.schema.replaceAll(collections);
            } finally {
              this.#applying = false;
            }
          } else if (kind === 'settings') {
            await this.options.settings.load();
          } else {
            await this.#extra.get(kind)?.();
          }
        } catch (err) {
          this.#log(err);
        }
      }
    });
    return this.#queue;
  }

  #log(error: unknown): void {
    (this.options.logError ?? ((e) => console.error('cluster sync:', e)))(error);
  }
}
