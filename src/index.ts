/**
 * The `plinth` package: embedding (`createPlinth`) and the types of hook files
 * (`import type { PlinthHooks } from 'plinth'`; docs/hooks.md).
 */
export { createPlinth, type EmbeddedPlinth, type PlinthOptions } from './cli/create-plinth.js';
export { startServer, type RunningServer, type ServerOptions } from './cli/start-server.js';
export { HookError, type HookErrorStatus } from './core/hooks/hook-error.js';
export type * from './core/hooks/hook-types.js';
export type { PlinthApp } from './core/app.js';
export type { CollectionModel } from './core/collections/collection-model.js';
export type { ErrorData, FieldError } from './core/errors/plinth-error.js';
export type { MailAddress, MailMessage } from './core/mail/mailer.js';
export type { ListParams, ListResult, OutputParams } from './core/records/record-list-params.js';
export type { RecordJson } from './core/records/record-serializer.js';
export type { AuthState, RecordData, RequestInfo } from './core/request-info.js';
