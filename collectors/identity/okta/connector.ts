import * as z from 'zod';
import type { SourceConnector } from '../../sources.ts';
import { CredentialsError, resolveCredentials, secretArnSchema } from '../credentials.ts';
import { type OktaCredentials, oktaSession } from './session.ts';

const oktaScopeSchema = z.strictObject({
  /** The org's URL, e.g. https://acme.okta.com. */
  orgUrl: z.url({ protocol: /^https?$/, error: 'must be the org URL, like https://acme.okta.com' }),
  /** Deployed: a Secrets Manager secret holding the credentials as JSON (same keys as the variables). */
  secretArn: secretArnSchema.optional(),
});
export type OktaScopeConfig = z.infer<typeof oktaScopeSchema>;

export const OKTA_ENV = ['OKTA_API_TOKEN', 'OKTA_CLIENT_ID', 'OKTA_PRIVATE_KEY', 'OKTA_KEY_ID'] as const;

function toCredentials(
  values: Partial<Record<(typeof OKTA_ENV)[number], string>>,
): OktaCredentials | undefined {
  if (values.OKTA_CLIENT_ID && values.OKTA_PRIVATE_KEY)
    return {
      kind: 'privateKey',
      clientId: values.OKTA_CLIENT_ID,
      privateKey: values.OKTA_PRIVATE_KEY,
      ...(values.OKTA_KEY_ID ? { keyId: values.OKTA_KEY_ID } : {}),
    };
  if (values.OKTA_API_TOKEN) return { kind: 'token', token: values.OKTA_API_TOKEN };
  return undefined;
}

/** One Okta org: credentials from OKTA_API_TOKEN, or an API service app (OKTA_CLIENT_ID + OKTA_PRIVATE_KEY). */
export const oktaConnector: SourceConnector<OktaScopeConfig> = {
  source: 'okta',
  schema: oktaScopeSchema,
  missing(config, options) {
    if (!config) return 'no scope.okta section in the config';
    if (config.secretArn) return undefined;
    return toCredentials(options.env)
      ? undefined
      : 'set OKTA_API_TOKEN, or OKTA_CLIENT_ID and OKTA_PRIVATE_KEY (or scope.okta.secretArn)';
  },
  scopes: (config) => [{ source: 'okta', id: new URL(config.orgUrl).hostname }],
  async targets(collectors, config, options) {
    if (!config) return [];
    const credentials = toCredentials(await resolveCredentials(OKTA_ENV, config.secretArn, options));
    if (!credentials)
      throw new CredentialsError(
        `no Okta credentials in ${config.secretArn ?? 'the environment'}: need OKTA_API_TOKEN, or OKTA_CLIENT_ID and OKTA_PRIVATE_KEY`,
      );
    const session = oktaSession(config.orgUrl.replace(/\/+$/, ''), credentials);
    const scope = { source: 'okta' as const, id: new URL(config.orgUrl).hostname };
    return collectors.map((collector) => ({ collector, scope, session }));
  },
};
