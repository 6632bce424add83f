import { pb } from './client';

/** Whether a superuser is signed in; `checked` once the stored session was validated. */
export const session = $state({ checked: false, signedIn: false });

/** Validates the stored token (a refresh) so a revoked or expired session goes to the sign-in page. */
export async function restoreSession(): Promise<void> {
  if (pb.authStore.isValid && pb.authStore.isSuperuser) {
    try {
      await pb.collection('_superusers').authRefresh();
    } catch {
      pb.authStore.clear();
    }
  }
  session.signedIn = pb.authStore.isValid && pb.authStore.isSuperuser;
  session.checked = true;
}

export function signOut(): void {
  pb.realtime.unsubscribe().catch(() => undefined);
  pb.authStore.clear();
  session.signedIn = false;
}
