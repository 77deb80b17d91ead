import okta from '@okta/okta-sdk-nodejs';

/** Read-only OAuth 2.0 scopes for an API service app; an SSWS token instead carries its admin's rights. */
export const OKTA_SCOPES = [
  'okta.users.read',
  'okta.factors.read',
  'okta.roles.read',
  'okta.apps.read',
  'okta.policies.read',
] as const;

export type OktaCredentials =
  | { readonly kind: 'token'; readonly token: string }
  | {
      readonly kind: 'privateKey';
      readonly clientId: string;
      readonly privateKey: string;
      readonly keyId?: string;
    };

/** One Okta org's client. The SDK pages through `Link` headers and retries 429 after `X-Rate-Limit-Reset`. */
export interface OktaSession {
  readonly orgUrl: string;
  readonly client: okta.Client;
}

export function oktaSession(orgUrl: string, credentials: OktaCredentials, maxRetries = 4): OktaSession {
  const requestExecutor = new okta.DefaultRequestExecutor({ maxRetries, requestTimeout: 0 });
  const client =
    credentials.kind === 'token'
      ? new okta.Client({ orgUrl, token: credentials.token, requestExecutor })
      : new okta.Client({
          orgUrl,
          authorizationMode: 'PrivateKey',
          clientId: credentials.clientId,
          scopes: [...OKTA_SCOPES],
          privateKey: credentials.privateKey,
          ...(credentials.keyId ? { keyId: credentials.keyId } : {}),
          requestExecutor,
        });
  return { orgUrl, client };
}
