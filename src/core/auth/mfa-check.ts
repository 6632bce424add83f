import { errors } from '../errors/plinth-error.js';
import type { AuthState, RequestInfo } from '../request-info.js';
import type { AuthOptions } from './auth-options.js';
import type { AuthRecordPort, MfaStore } from './auth-ports.js';

function parseUtc(datetime: string): number {
  const ms = Date.parse(datetime.replace(' ', 'T'));
  return Number.isNaN(ms) ? 0 : ms;
}

/**
 * The MFA step of a sign-in (PocketBase's `checkMFA`). Returns an MFA id to answer with
 * `401 {"mfaId"}` when a second factor is due, or `""` when the sign-in may complete:
 * - MFA rule not matching the record: no MFA;
 * - no `mfaId` in the query or body: first factor, a new MFA session is created;
 * - an `mfaId`: it must exist, be fresh, belong to this record and come from another method.
 */
export async function checkMfa(
  state: AuthState,
  request: RequestInfo,
  authMethod: string,
  mfa: AuthOptions['mfa'],
  store: MfaStore,
  records: Pick<AuthRecordPort, 'canAccess'>,
): Promise<string> {
  if (mfa.rule.trim() !== '') {
    let wanted: boolean;
    try {
      wanted = await records.canAccess(state.collection, state.record, request, mfa.rule);
    } catch {
      throw errors.badRequest('Failed to authenticate.');
    }
    if (!wanted) return '';
  }

  const mfaId = String(request.query.mfaId ?? '') || (typeof request.body.mfaId === 'string' ? request.body.mfaId : '');
  if (!mfaId) {
    const session = await store.create({ collectionRef: state.collection.id, recordRef: state.record.id, method: authMethod });
    return session.id;
  }

  const session = await store.find(mfaId);
  const expired = !session || Date.now() - parseUtc(session.created) > mfa.duration * 1000;
  if (expired) {
    if (session) await store.delete(session.id).catch(() => undefined);
    throw errors.badRequest('Invalid or expired MFA session.');
  }
  if (session.recordRef !== state.record.id || session.collectionRef !== state.collection.id) {
    throw errors.badRequest('Invalid MFA session.');
  }
  if (session.method === authMethod) throw errors.badRequest('A different authentication method is required.');
  await store.delete(session.id);
  return '';
}
