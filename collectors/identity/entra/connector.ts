import { readFile } from 'node:fs/promises';
import * as z from 'zod';
import type { SourceConnector } from '../../sources.ts';
import { CredentialsError, resolveCredentials, secretArnSchema } from '../credentials.ts';
import { entraSession } from './session.ts';

const entraScopeSchema = z.strictObject({
  /** The directory (tenant) id or a verified domain. */
  tenantId: z.string().regex(/^[A-Za-z0-9.-]+$/, 'must be the tenant id (a GUID) or a verified domain'),
  /** Sovereign clouds: e.g. https://login.microsoftonline.us. Default: the public cloud. */
  authorityHost: z.url({ protocol: /^https$/, error: 'must be an https URL' }).optional(),
  /** Sovereign clouds: e.g. https://graph.microsoft.us. Default: https://graph.microsoft.com. */
  graphBaseUrl: z.url({ protocol: /^https$/, error: 'must be an https URL' }).optional(),
  /** A PEM file of an extra CA to trust (a private CA or a TLS-inspecting proxy). */
  caFile: z.string().min(1).optional(),
  secretArn: secretArnSchema.optional(),
});
export type EntraScopeConfig = z.infer<typeof entraScopeSchema>;

export const ENTRA_ENV = ['AZURE_CLIENT_ID', 'AZURE_CLIENT_SECRET'] as const;

/** One Entra ID tenant, read by an app registration with a client secret (AZURE_CLIENT_ID/SECRET). */
export const entraConnector: SourceConnector<EntraScopeConfig> = {
  source: 'entra',
  schema: entraScopeSchema,
  missing(config, options) {
    if (!config) return 'no scope.entra section in the config';
    if (config.secretArn) return undefined;
    return options.env.AZURE_CLIENT_ID && options.env.AZURE_CLIENT_SECRET
      ? undefined
      : 'set AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (or scope.entra.secretArn)';
  },
  scopes: (config) => [{ source: 'entra', id: config.tenantId }],
  async targets(collectors, config, options) {
    if (!config) return [];
    const values = await resolveCredentials(ENTRA_ENV, config.secretArn, options);
    if (!values.AZURE_CLIENT_ID || !values.AZURE_CLIENT_SECRET)
      throw new CredentialsError(
        `no Entra ID credentials in ${config.secretArn ?? 'the environment'}: need AZURE_CLIENT_ID and AZURE_CLIENT_SECRET`,
      );
    let ca: string | undefined;
    if (config.caFile) {
      try {
        ca = await readFile(config.caFile, 'utf8');
      } catch (error) {
        throw new CredentialsError(
          `scope.entra.caFile: cannot read ${config.caFile}: ${(error as Error).message}`,
        );
      }
    }
    const session = entraSession({
      tenantId: config.tenantId,
      clientId: values.AZURE_CLIENT_ID,
      clientSecret: values.AZURE_CLIENT_SECRET,
      ...(config.authorityHost ? { authorityHost: config.authorityHost } : {}),
      ...(config.graphBaseUrl ? { graphBaseUrl: config.graphBaseUrl } : {}),
      ...(ca ? { ca } : {}),
    });
    const scope = { source: 'entra' as const, id: config.tenantId };
    return collectors.map((collector) => ({ collector, scope, session }));
  },
};
