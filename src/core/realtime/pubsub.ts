/** Receives one published message (the exact string that was published). */
export type PubSubHandler = (message: string) => void;

/**
 * The port through which realtime brokers of several nodes share what happened (record events,
 * messages for a client connected elsewhere). Delivery is at most once and unordered across
 * channels; a node also receives its own messages. Adapters: src/adapters/pubsub/ (memory now;
 * Redis for scale-out).
 */
export interface PubSub {
  publish(channel: string, message: string): Promise<void>;
  /** Starts delivering `channel`'s messages to `handler`; resolves to an unsubscribe function. */
  subscribe(channel: string, handler: PubSubHandler): Promise<() => Promise<void>>;
  close(): Promise<void>;
}
