import { readFile } from 'node:fs/promises';
import * as z from 'zod';
import type { SourceConnector } from '../../sources.ts';
import { CredentialsError, resolveCredentials, secretArnSchema } from '../credentials.ts';
import { googleSession } from './session.ts';

const googleScopeSchema = z.strictObject({
  /** The primary domain: names the scope. */
  domain: z.string().regex(/^[a-z0-9.-]+\.[a-z]{2,}$/i, 'must be a domain like acme.example'),
  /** A super administrator the service account impersonates (domain-wide delegation). */
  adminEmail: z.email('must be an administrator e-mail address'),
  /** The customer id (Cxxxxxxxx). Default: my_customer, the administrator's own account. */
  customer: z.string().min(1).optional(),
  /** Overrides of Google's endpoints (private endpoints; the local stand-in in tests and the demo). */
  tokenUrl: z.url().optional(),
  apiRootUrl: z.url().optional(),
  secretArn: secretArnSchema.optional(),
});
export type GoogleScopeConfig = z.infer<typeof googleScopeSchema>;

export const GOOGLE_ENV = ['GOOGLE_SERVICE_ACCOUNT_KEY', 'GOOGLE_APPLICATION_CREDENTIALS'] as const;

const keySchema = z.looseObject({ client_email: z.string().min(1), private_key: z.string().min(1) });

async function serviceAccountKey(
  values: Partial<Record<(typeof GOOGLE_ENV)[number], string>>,
  where: string,
) {
  let text = values.GOOGLE_SERVICE_ACCOUNT_KEY;
  if (!text && values.GOOGLE_APPLICATION_CREDENTIALS) {
    try {
      text = await readFile(values.GOOGLE_APPLICATION_CREDENTIALS, 'utf8');
    } catch (error) {
      throw new CredentialsError(`GOOGLE_APPLICATION_CREDENTIALS: ${(error as Error).message}`);
    }
  }
  if (!text) throw new CredentialsError(`no Google service account key in ${where}`);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new CredentialsError(`the Google service account key in ${where} is not JSON`);
  }
  const key = keySchema.safeParse(data);
  if (!key.success)
    throw new CredentialsError(
      `the Google service account key in ${where} lacks client_email or private_key`,
    );
  return key.data;
}

/** One Google Workspace customer, read by a service account with domain-wide delegation. */
export const googleConnector: SourceConnector<GoogleScopeConfig> = {
  source: 'google',
  schema: googleScopeSchema,
  missing(config, options) {
    if (!config) return 'no scope.google section in the config';
    if (config.secretArn) return undefined;
    return options.env.GOOGLE_SERVICE_ACCOUNT_KEY || options.env.GOOGLE_APPLICATION_CREDENTIALS
      ? undefined
      : 'set GOOGLE_SERVICE_ACCOUNT_KEY (the JSON key) or GOOGLE_APPLICATION_CREDENTIALS (its file), or scope.google.secretArn';
  },
  scopes: (config) => [{ source: 'google', id: config.domain }],
  async targets(collectors, config, options) {
    if (!config) return [];
    const values = await resolveCredentials(GOOGLE_ENV, config.secretArn, options);
    const serviceAccount = await serviceAccountKey(values, config.secretArn ?? 'the environment');
    const session = googleSession({
      serviceAccount,
      adminEmail: config.adminEmail,
      ...(config.customer ? { customer: config.customer } : {}),
      ...(config.tokenUrl ? { tokenUrl: config.tokenUrl } : {}),
      ...(config.apiRootUrl ? { apiRootUrl: config.apiRootUrl } : {}),
    });
    const scope = { source: 'google' as const, id: config.domain };
    return collectors.map((collector) => ({ collector, scope, session }));
  },
};
