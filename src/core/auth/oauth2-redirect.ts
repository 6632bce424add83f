/** What the provider's redirect carries back (PocketBase's `oauth2RedirectData`). */
export interface OAuth2RedirectData {
  state: string;
  code: string;
  error?: string;
}

/** The realtime topic the SDK's all-in-one OAuth2 flow subscribes to. */
export const OAUTH2_TOPIC = '@oauth2';

/**
 * The seam between `/api/oauth2-redirect` and realtime: delivers the redirect data to the realtime
 * client whose id is the OAuth2 `state`, when that client is subscribed to `@oauth2` (and then
 * unsubscribes it). Resolves false when there is no such client. The composition root wires it to
 * the realtime broker (`broker.sendToClient(clientId, '@oauth2', data)`); without realtime every
 * redirect fails, as PocketBase's does for an unknown client.
 */
export interface OAuth2RedirectSink {
  deliver(clientId: string, data: OAuth2RedirectData): Promise<boolean>;
}
