import type { PlinthApp } from '../app.js';
import type { CollectionModel } from '../collections/collection-model.js';
import { errors, type PlinthError } from '../errors/plinth-error.js';
import { HookError, hookErrorOf } from './hook-error.js';
import type {
  AuthAfterEvent, AuthEvent, AuthWithPasswordEvent, HookHandler, MailerSendEvent, PlinthHooks, RecordAfterListEvent,
  RecordAfterViewEvent, RecordAfterWriteEvent, RecordCreateEvent, RecordDeleteEvent, RecordListEvent, RecordUpdateEvent,
  RecordViewEvent, RouteHandler, RouteMethod, RouteResponse,
} from './hook-types.js';

/** Every hook point and the event its handlers get. */
export interface HookEvents {
  recordCreate: RecordCreateEvent;
  recordUpdate: RecordUpdateEvent;
  recordDelete: RecordDeleteEvent;
  recordView: RecordViewEvent;
  recordList: RecordListEvent;
  recordAfterCreate: RecordAfterWriteEvent;
  recordAfterUpdate: RecordAfterWriteEvent;
  recordAfterDelete: RecordAfterWriteEvent;
  recordAfterView: RecordAfterViewEvent;
  recordAfterList: RecordAfterListEvent;
  authWithPassword: AuthWithPasswordEvent;
  auth: AuthEvent;
  authAfter: AuthAfterEvent;
  mailerSend: MailerSendEvent;
}

export type HookName = keyof HookEvents;

interface Registration<E> {
  source: string;
  handler: HookHandler<E>;
  collections: readonly string[];
}

/** A custom route as registered by a hook file. */
export interface HookRoute {
  source: string;
  method: RouteMethod;
  path: string;
  handler: RouteHandler;
}

/** A cron job as registered by a hook file. */
export interface HookCron {
  source: string;
  id: string;
  expression: string;
  fn: () => void | Promise<void>;
}

/** Where hook failures are reported: the hook file's name and the error. */
export type HookErrorLog = (source: string, hook: string, error: unknown) => void;

type Store = { [K in HookName]: Array<Registration<HookEvents[K]>> };

const emptyStore = (): Store => ({
  recordCreate: [], recordUpdate: [], recordDelete: [], recordView: [], recordList: [],
  recordAfterCreate: [], recordAfterUpdate: [], recordAfterDelete: [], recordAfterView: [], recordAfterList: [],
  authWithPassword: [], auth: [], authAfter: [], mailerSend: [],
});

/**
 * The hooks of the running app, grouped by the file (source) that registered them so a reload
 * replaces one file's hooks at once. The core calls `run` (before hooks: a throw rejects the
 * request) and `runAfter` (after hooks: a throw is logged); both cost one length check when
 * nothing is registered.
 */
export class HookRegistry {
  #store: Store = emptyStore();
  #routes: HookRoute[] = [];
  #crons: HookCron[] = [];
  #recordHooks = false;
  readonly #listeners: Array<() => void> = [];
  /** Set by the composition root once the app exists; hook events carry it. */
  app: PlinthApp | null = null;

  constructor(private readonly logError: HookErrorLog = (source, hook, error) => console.error(`hook ${source} failed in ${hook}:`, error)) {}

  /** Whether any handler is registered for `name`. */
  has(name: HookName): boolean {
    return this.#store[name].length > 0;
  }

  /** Whether any record create/update/delete/view/list hook is registered (the records service's fast path). */
  get hasRecordHooks(): boolean {
    return this.#recordHooks;
  }

  get routes(): readonly HookRoute[] {
    return this.#routes;
  }

  get crons(): readonly HookCron[] {
    return this.#crons;
  }

  /** Called after every change of the routes or crons (the HTTP router and cron sync listen). */
  onChange(listener: () => void): void {
    this.#listeners.push(listener);
  }

  /**
   * Replaces everything `source` registered with what `register` registers now; when `register`
   * throws, the previous registrations of `source` stay and the error propagates.
   */
  async replaceSource(source: string, register: (plinth: PlinthHooks) => void | Promise<void>): Promise<void> {
    const staged = new HookRegistry(this.logError);
    await register(staged.api(source, () => this.#requireApp()));
    this.#store = Object.fromEntries(Object.entries(this.#store).map(([name, list]) => [
      name, [...(list as Array<Registration<unknown>>).filter((r) => r.source !== source), ...staged.#store[name as HookName]],
    ])) as Store;
    this.#routes = [...this.#routes.filter((r) => r.source !== source), ...staged.#routes];
    this.#crons = [...this.#crons.filter((c) => c.source !== source), ...staged.#crons];
    this.#recordHooks = (Object.keys(this.#store) as HookName[]).some((name) => name.startsWith('record') && this.has(name));
    this.#changed();
  }

  /** Drops everything `source` registered (a deleted hook file). */
  removeSource(source: string): Promise<void> {
    return this.replaceSource(source, () => undefined);
  }

  /**
   * Runs the before handlers of `name` for `collection` in order. A HookError (or any catalogue
   * error) propagates as is; anything else is logged with the file name and becomes a 500.
   */
  async run<K extends HookName>(name: K, event: HookEvents[K], collection?: CollectionModel): Promise<void> {
    for (const reg of this.#store[name]) {
      if (!applies(reg, collection)) continue;
      try {
        await reg.handler(event);
      } catch (error) {
        throw this.#toApiError(reg.source, name, error);
      }
    }
  }

  /** Runs the after handlers of `name`; failures are logged and never reach the caller. */
  async runAfter<K extends HookName>(name: K, event: HookEvents[K], collection?: CollectionModel): Promise<void> {
    for (const reg of this.#store[name]) {
      if (!applies(reg, collection)) continue;
      try {
        await reg.handler(event);
      } catch (error) {
        this.logError(reg.source, name, error);
      }
    }
  }

  /** Runs a callback a before hook queued with `afterCommit`; a failure is logged. */
  async runCallback(fn: () => void | Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (error) {
      this.logError('(afterCommit callback)', 'afterCommit', error);
    }
  }

  /** Runs a route handler or cron job of `source`, mapping its failure as `run` does. */
  async guard<T>(source: string, what: string, fn: () => T | Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw this.#toApiError(source, what, error);
    }
  }

  #toApiError(source: string, hook: string, error: unknown): PlinthError {
    const known = hookErrorOf(error);
    if (known) return known;
    this.logError(source, hook, error);
    return errors.internal(error);
  }

  #requireApp(): PlinthApp {
    if (!this.app) throw new Error('the hooks registry has no app yet');
    return this.app;
  }

  #changed(): void {
    for (const listener of this.#listeners) listener();
  }

  /** The registration API for the file `source`. */
  api(source: string, app: () => PlinthApp): PlinthHooks {
    const add = <K extends HookName>(name: K) => (handler: HookHandler<HookEvents[K]>, ...collections: string[]) => {
      if (typeof handler !== 'function') throw new TypeError(`${name}: the handler must be a function`);
      (this.#store[name] as Array<Registration<HookEvents[K]>>).push({ source, handler, collections });
    };
    const response = (status: number, body: unknown, headers: Record<string, string> = {}): RouteResponse => ({ __plinthResponse: true, status, body, headers });
    return {
      get app() {
        return app();
      },
      HookError,
      onRecordCreateRequest: add('recordCreate'),
      onRecordUpdateRequest: add('recordUpdate'),
      onRecordDeleteRequest: add('recordDelete'),
      onRecordViewRequest: add('recordView'),
      onRecordsListRequest: add('recordList'),
      onRecordAfterCreateSuccess: add('recordAfterCreate'),
      onRecordAfterUpdateSuccess: add('recordAfterUpdate'),
      onRecordAfterDeleteSuccess: add('recordAfterDelete'),
      onRecordAfterViewSuccess: add('recordAfterView'),
      onRecordsAfterListSuccess: add('recordAfterList'),
      onRecordAuthWithPasswordRequest: add('authWithPassword'),
      onRecordAuthRequest: add('auth'),
      onRecordAfterAuthSuccess: add('authAfter'),
      onMailerSend: (handler) => add('mailerSend')(handler),
      routerAdd: (method, path, handler) => {
        if (!path.startsWith('/')) throw new TypeError(`routerAdd: the path must start with "/": ${path}`);
        this.#routes.push({ source, method: method.toUpperCase() as RouteMethod, path, handler });
      },
      cronAdd: (id, expression, fn) => {
        this.#crons.push({ source, id, expression, fn });
      },
      json: (status, body, headers) => response(status, body, { 'content-type': 'application/json', ...headers }),
      text: (status, body, headers) => response(status, body, { 'content-type': 'text/plain; charset=utf-8', ...headers }),
    };
  }
}

function applies(reg: { collections: readonly string[] }, collection: CollectionModel | undefined): boolean {
  if (reg.collections.length === 0 || !collection) return true;
  return reg.collections.includes(collection.name) || reg.collections.includes(collection.id);
}
