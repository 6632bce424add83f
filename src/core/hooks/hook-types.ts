/**
 * The typed surface hook files program against (`import type { PlinthHooks } from 'plinth'`).
 * A hook file default-exports `(plinth: PlinthHooks) => void | Promise<void>` and registers its
 * handlers there; names follow PocketBase's JS hooks.
 */
import type { PlinthApp } from '../app.js';
import type { CollectionModel } from '../collections/collection-model.js';
import type { MailMessage } from '../mail/mailer.js';
import type { ListParams, ListResult, OutputParams } from '../records/record-list-params.js';
import type { RecordJson } from '../records/record-serializer.js';
import type { AuthState, RecordData, RequestInfo } from '../request-info.js';
import type { ErrorData } from '../errors/plinth-error.js';
import type { HookError, HookErrorStatus } from './hook-error.js';

/** What every record request hook sees. */
export interface RecordRequestEvent {
  readonly app: PlinthApp;
  readonly collection: CollectionModel;
  /** The caller: `request.auth` is the signed-in record or null. Pass it on to `app.records.*` so rules apply. */
  readonly request: RequestInfo;
  /** Queues `fn` to run once the write committed (never when it fails or rolls back). */
  afterCommit(fn: () => void | Promise<void>): void;
}

/** Before a create: `data` is the submitted body, which the hook may change (set a field…). */
export interface RecordCreateEvent extends RecordRequestEvent {
  data: Record<string, unknown>;
}

/** Before an update: `record` is the stored record (hidden fields included), `data` the body. */
export interface RecordUpdateEvent extends RecordRequestEvent {
  readonly id: string;
  readonly record: RecordData | null;
  data: Record<string, unknown>;
}

/** Before a delete (rules are checked after the hook). */
export interface RecordDeleteEvent extends RecordRequestEvent {
  readonly id: string;
  readonly record: RecordData | null;
}

/** Before a view: the hook may change `params` (expand, fields) or reject. */
export interface RecordViewEvent extends RecordRequestEvent {
  readonly id: string;
  params: OutputParams;
}

/** Before a list: the hook may change `params` (filter, sort, page…) or reject. */
export interface RecordListEvent extends RecordRequestEvent {
  params: ListParams;
}

/** After a create, update or delete committed: `record` as stored (for a delete, as it was). */
export interface RecordAfterWriteEvent {
  readonly app: PlinthApp;
  readonly collection: CollectionModel;
  readonly request: RequestInfo;
  readonly record: RecordData;
}

/** After a view: `record` is the JSON about to be answered; changing it changes the response. */
export interface RecordAfterViewEvent extends Omit<RecordAfterWriteEvent, 'record'> {
  record: RecordJson;
}

/** After a list: `result` is the page about to be answered. */
export interface RecordAfterListEvent extends Omit<RecordAfterWriteEvent, 'record'> {
  result: ListResult;
}

/** Before the password check of `auth-with-password`: `identity`/`password` as submitted. */
export interface AuthWithPasswordEvent {
  readonly app: PlinthApp;
  readonly collection: CollectionModel;
  readonly request: RequestInfo;
  readonly body: Record<string, unknown>;
  readonly identity: string;
}

/**
 * Once a sign-in proved who the caller is, before the token is issued (every method: `password`,
 * `otp`, `oauth2`, and `''` for refresh and impersonation). Throw to refuse the sign-in.
 */
export interface AuthEvent {
  readonly app: PlinthApp;
  readonly collection: CollectionModel;
  readonly request: RequestInfo;
  readonly record: RecordData;
  readonly authMethod: string;
}

/** After a sign-in succeeded (MFA steps excluded). */
export interface AuthAfterEvent extends AuthEvent {
  readonly token: string;
}

/** Before a mail goes out: change `message`, or `cancel()` it (the sender sees a success). */
export interface MailerSendEvent {
  readonly app: PlinthApp;
  message: MailMessage;
  cancel(): void;
}

/** What a custom route handler gets. */
export interface RouteEvent {
  readonly app: PlinthApp;
  /** e.g. `GET`. */
  readonly method: string;
  /** The path without the query string. */
  readonly path: string;
  /** `:name` parameters of the route. */
  readonly params: Record<string, string>;
  readonly query: Record<string, string>;
  /** Lower-case header names, as Node gives them. */
  readonly headers: Record<string, string | undefined>;
  /** The parsed JSON or form body (`{}` without one). */
  readonly body: Record<string, unknown>;
  /** The body exactly as received (JSON, form or text requests), e.g. for signature checks. */
  readonly rawBody: string;
  /** The caller from the `Authorization` token; null for guests. */
  readonly auth: AuthState | null;
  /** The caller as rules see it: pass it to `app.records.*` so the collection rules apply. */
  readonly info: RequestInfo;
  /** The signed-in caller (of one of `collections` when given), or a 401/403. */
  requireAuth(...collections: string[]): AuthState;
  /** The signed-in superuser, or a 401/403. */
  requireSuperuser(): AuthState;
}

/** A custom route's answer: a JSON value (200), or a {@link RouteResponse}; `undefined` answers 204. */
export type RouteResult = unknown;

/** An explicit answer of a custom route, made by `plinth.json()` or `plinth.text()`. */
export interface RouteResponse {
  readonly __plinthResponse: true;
  readonly status: number;
  readonly body: unknown;
  readonly headers: Record<string, string>;
}

export type RouteHandler = (e: RouteEvent) => RouteResult | Promise<RouteResult>;
export type HookHandler<E> = (e: E) => void | Promise<void>;

/** Methods a custom route can answer. */
export type RouteMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';

/**
 * The registration API handed to each hook file. Record hooks take the collections (names or
 * ids) they apply to after the handler; none means every collection. Handlers may be async.
 */
export interface PlinthHooks {
  /** The running app's core services (records, auth, settings…). */
  readonly app: PlinthApp;
  /** The error class to throw for a clear 400/401/403/404 answer. */
  readonly HookError: new (status: HookErrorStatus, message: string, data?: ErrorData) => HookError;

  onRecordCreateRequest(handler: HookHandler<RecordCreateEvent>, ...collections: string[]): void;
  onRecordUpdateRequest(handler: HookHandler<RecordUpdateEvent>, ...collections: string[]): void;
  onRecordDeleteRequest(handler: HookHandler<RecordDeleteEvent>, ...collections: string[]): void;
  onRecordViewRequest(handler: HookHandler<RecordViewEvent>, ...collections: string[]): void;
  onRecordsListRequest(handler: HookHandler<RecordListEvent>, ...collections: string[]): void;

  onRecordAfterCreateSuccess(handler: HookHandler<RecordAfterWriteEvent>, ...collections: string[]): void;
  onRecordAfterUpdateSuccess(handler: HookHandler<RecordAfterWriteEvent>, ...collections: string[]): void;
  onRecordAfterDeleteSuccess(handler: HookHandler<RecordAfterWriteEvent>, ...collections: string[]): void;
  onRecordAfterViewSuccess(handler: HookHandler<RecordAfterViewEvent>, ...collections: string[]): void;
  onRecordsAfterListSuccess(handler: HookHandler<RecordAfterListEvent>, ...collections: string[]): void;

  onRecordAuthWithPasswordRequest(handler: HookHandler<AuthWithPasswordEvent>, ...collections: string[]): void;
  onRecordAuthRequest(handler: HookHandler<AuthEvent>, ...collections: string[]): void;
  onRecordAfterAuthSuccess(handler: HookHandler<AuthAfterEvent>, ...collections: string[]): void;

  onMailerSend(handler: HookHandler<MailerSendEvent>): void;

  /** Adds a route, e.g. `routerAdd('GET', '/api/hello/:name', (e) => ({ hello: e.params.name }))`. */
  routerAdd(method: RouteMethod, path: string, handler: RouteHandler): void;
  /** Adds a cron job (5 or 6 fields, or `@daily`…, UTC); listed in `/api/crons` and runnable from there. */
  cronAdd(id: string, expression: string, fn: () => void | Promise<void>): void;

  /** A JSON answer with a status and optional headers. */
  json(status: number, body: unknown, headers?: Record<string, string>): RouteResponse;
  /** A text answer (`text/plain` unless a `content-type` header is given). */
  text(status: number, body: string, headers?: Record<string, string>): RouteResponse;
}

/** A hook file's default export. */
export type HookModule = (plinth: PlinthHooks) => void | Promise<void>;
