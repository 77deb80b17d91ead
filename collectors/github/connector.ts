import * as z from 'zod';
import { readSecretString, secretArnSchema } from '../identity/credentials.ts';
import type { ConnectOptions, SourceConnector } from '../sources.ts';
import {
  createGitHubClient,
  DEFAULT_POLICY,
  type GitHubClient,
  type GitHubClientOptions,
  type GitHubCredential,
  GitHubCredentialsError,
  type GitHubPolicy,
  type GitHubSession,
  installationIdFor,
} from './session.ts';

const days = (what: string, fallback: number) =>
  z.number().int().positive(`${what} must be a positive whole number of days`).default(fallback);

const githubScopeSchema = z.strictObject({
  /** Organization logins to collect from. */
  orgs: z
    .array(
      z
        .string()
        .regex(
          /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/,
          'must be an organization login like acme (no URL, no slash)',
        ),
    )
    .min(1, 'name at least one organization'),
  /** REST API root; GitHub Enterprise Server: https://HOST/api/v3. Default: https://api.github.com. */
  baseUrl: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL like https://github.example.com/api/v3' })
    .optional(),
  /** Secrets Manager secret holding the credential (deployed runs). Default: the environment. */
  secretArn: secretArnSchema.optional(),
  requiredApprovals: z
    .number()
    .int()
    .min(1, 'requiredApprovals must be at least 1')
    .max(6, 'requiredApprovals above 6 is not supported by GitHub')
    .default(DEFAULT_POLICY.requiredApprovals),
  inactiveDays: days('inactiveDays', DEFAULT_POLICY.inactiveDays),
  alertMaxAgeDays: days('alertMaxAgeDays', DEFAULT_POLICY.alertMaxAgeDays),
  deployKeyMaxAgeDays: days('deployKeyMaxAgeDays', DEFAULT_POLICY.deployKeyMaxAgeDays),
  lookbackDays: days('lookbackDays', DEFAULT_POLICY.lookbackDays),
  approvedPublicRepos: z.array(z.string().min(1)).default([]),
});
export type GitHubScopeConfig = z.infer<typeof githubScopeSchema>;

const CREDENTIAL_HINT =
  'set GITHUB_APP_ID, GITHUB_APP_PRIVATE_KEY and GITHUB_APP_INSTALLATION_ID (a GitHub App, preferred) or GITHUB_TOKEN in the environment, or scope.github.secretArn in proofline.config.yaml';

/** Why the environment's App credential is incomplete, or undefined. */
function incompleteApp(env: NodeJS.ProcessEnv): string | undefined {
  const { GITHUB_APP_ID: id, GITHUB_APP_PRIVATE_KEY: key, GITHUB_APP_INSTALLATION_ID: installation } = env;
  if (!id && !key) return undefined;
  if (!id) return 'GITHUB_APP_PRIVATE_KEY is set but GITHUB_APP_ID is not';
  if (!key) return 'GITHUB_APP_ID is set but GITHUB_APP_PRIVATE_KEY is not';
  if (installation && !/^\d+$/.test(installation))
    return `GITHUB_APP_INSTALLATION_ID must be a number, got "${installation}"`;
  return undefined;
}

/** The credential in the environment: an App (all App variables) first, else GITHUB_TOKEN. */
export function credentialFromEnv(env: NodeJS.ProcessEnv): GitHubCredential | undefined {
  if (env.GITHUB_APP_ID && env.GITHUB_APP_PRIVATE_KEY && !incompleteApp(env))
    return {
      kind: 'app',
      appId: env.GITHUB_APP_ID,
      // Keys pasted into one-line variables carry literal "\n".
      privateKey: env.GITHUB_APP_PRIVATE_KEY.replace(/\\n/g, '\n'),
      ...(env.GITHUB_APP_INSTALLATION_ID ? { installationId: Number(env.GITHUB_APP_INSTALLATION_ID) } : {}),
    };
  return env.GITHUB_TOKEN ? { kind: 'token', token: env.GITHUB_TOKEN } : undefined;
}

const secretSchema = z.union([
  z.strictObject({ token: z.string().min(1) }),
  z.strictObject({
    appId: z.union([z.string().min(1), z.number().int()]),
    privateKey: z.string().min(1),
    installationId: z.union([z.number().int(), z.string().regex(/^\d+$/)]).optional(),
  }),
]);

/** Parses a stored credential: JSON `{"token"}` or `{"appId","privateKey","installationId"?}`, or a bare token. */
export function parseSecret(text: string, arn: string): GitHubCredential {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{')) {
    if (!trimmed || /\s/.test(trimmed))
      throw new GitHubCredentialsError(`secret ${arn}: expected a token or JSON, got text that is neither`);
    return { kind: 'token', token: trimmed };
  }
  let data: unknown;
  try {
    data = JSON.parse(trimmed);
  } catch {
    throw new GitHubCredentialsError(`secret ${arn}: not valid JSON`);
  }
  const parsed = secretSchema.safeParse(data);
  if (!parsed.success)
    throw new GitHubCredentialsError(
      `secret ${arn}: expected {"token": "…"} or {"appId": …, "privateKey": "…", "installationId": …}; got keys ${Object.keys(data as object).join(', ') || '(none)'}`,
    );
  const value = parsed.data;
  return 'token' in value
    ? { kind: 'token', token: value.token }
    : {
        kind: 'app',
        appId: String(value.appId),
        privateKey: value.privateKey.replace(/\\n/g, '\n'),
        ...(value.installationId !== undefined ? { installationId: Number(value.installationId) } : {}),
      };
}

/** Reads the credential from AWS Secrets Manager (one secret: a token, or an App credential as JSON). */
export async function credentialFromSecret(
  arn: string,
  options: Pick<ConnectOptions, 'profile' | 'onCall'>,
): Promise<GitHubCredential> {
  return parseSecret(await readSecretString(arn, options), arn);
}

export function policyOf(config: GitHubScopeConfig): GitHubPolicy {
  return {
    requiredApprovals: config.requiredApprovals,
    inactiveDays: config.inactiveDays,
    alertMaxAgeDays: config.alertMaxAgeDays,
    deployKeyMaxAgeDays: config.deployKeyMaxAgeDays,
    lookbackDays: config.lookbackDays,
    approvedPublicRepos: config.approvedPublicRepos,
  };
}

/** A session per organization; an App without a fixed installation id finds each org's installation lazily. */
export function sessionFor(
  clientOptions: GitHubClientOptions,
  org: string,
  policy: GitHubPolicy,
  now: () => Date = () => new Date(),
): GitHubSession {
  let client: Promise<GitHubClient> | undefined;
  const { credential } = clientOptions;
  return {
    policy,
    now,
    client: () => {
      client ??=
        credential.kind === 'app' && !credential.installationId
          ? installationIdFor(clientOptions, org).then((installationId) =>
              createGitHubClient({ ...clientOptions, credential: { ...credential, installationId } }),
            )
          : Promise.resolve(createGitHubClient(clientOptions));
      return client;
    },
  };
}

/** One target per organization × collector, authenticated by a GitHub App or a token. */
export const githubConnector: SourceConnector<GitHubScopeConfig> = {
  source: 'github',
  schema: githubScopeSchema,
  missing(config, options) {
    if (!config?.orgs?.length)
      return 'no organization to collect from: add scope.github.orgs (e.g. [acme]) to proofline.config.yaml';
    if (config.secretArn) return undefined;
    const partial = incompleteApp(options.env);
    if (partial) return `${partial}; ${CREDENTIAL_HINT}`;
    return credentialFromEnv(options.env) ? undefined : `no GitHub credential: ${CREDENTIAL_HINT}`;
  },
  scopes: (config) => config.orgs.map((org) => ({ source: 'github', id: org })),
  async targets(collectors, config, options) {
    if (!config) return [];
    const credential = config.secretArn
      ? await credentialFromSecret(config.secretArn, options)
      : credentialFromEnv(options.env);
    if (!credential) throw new GitHubCredentialsError(`no GitHub credential: ${CREDENTIAL_HINT}`);
    const clientOptions: GitHubClientOptions = {
      credential,
      ...(config.baseUrl ? { baseUrl: config.baseUrl.replace(/\/+$/, '') } : {}),
      ...(options.onCall ? { onCall: options.onCall } : {}),
    };
    const policy = policyOf(config);
    return config.orgs.flatMap((org) => {
      const session = sessionFor(clientOptions, org, policy);
      return collectors.map((collector) => ({
        collector,
        scope: { source: 'github' as const, id: org },
        session,
      }));
    });
  },
};
