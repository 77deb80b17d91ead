import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import * as z from 'zod';
import { ProoflineError } from '../../core/errors.ts';
import { AwsSession } from '../aws/session.ts';
import type { ConnectOptions } from '../sources.ts';

/** A Secrets Manager secret ARN: its region is where the secret is read. */
export const secretArnSchema = z
  .string()
  .regex(
    /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/,
    'must be a Secrets Manager secret ARN (arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME)',
  );

export class CredentialsError extends ProoflineError {
  override name = 'CredentialsError';
}

/**
 * The text of one Secrets Manager secret, read in the secret's own region with the standard credential chain
 * and endpoint settings. Every source's deployed credentials are read here.
 */
export async function readSecretString(
  secretArn: string,
  options: Pick<ConnectOptions, 'profile' | 'onCall'>,
): Promise<string> {
  const region = secretArn.split(':')[3];
  const session = new AwsSession({
    ...(region ? { homeRegion: region } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
    ...(options.onCall ? { onCall: options.onCall } : {}),
  });
  let text: string | undefined;
  try {
    const secret = await session
      .client(SecretsManagerClient)
      .send(new GetSecretValueCommand({ SecretId: secretArn }));
    text = secret.SecretString;
  } catch (error) {
    throw new CredentialsError(
      `cannot read secret ${secretArn}: ${(error as Error).name}: ${(error as Error).message}`,
    );
  }
  if (text === undefined)
    throw new CredentialsError(`secret ${secretArn} has no string value (binary secrets are not supported)`);
  return text;
}

/**
 * A source's credentials: deployed, from one Secrets Manager secret holding a JSON object whose keys are the
 * same names as the environment variables (`{"OKTA_API_TOKEN": "…"}`); locally, from the environment.
 */
export async function resolveCredentials<K extends string>(
  keys: readonly K[],
  secretArn: string | undefined,
  options: ConnectOptions,
): Promise<Partial<Record<K, string>>> {
  if (!secretArn) {
    return Object.fromEntries(
      keys.flatMap((k) => (options.env[k] ? [[k, options.env[k] as string]] : [])),
    ) as Partial<Record<K, string>>;
  }
  const text = await readSecretString(secretArn, options);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new CredentialsError(`secret ${secretArn} is not a JSON object of credential names to values`);
  }
  const parsed = z.record(z.string(), z.string()).safeParse(data);
  if (!parsed.success)
    throw new CredentialsError(
      `secret ${secretArn} must be a JSON object of strings (e.g. {"${keys[0]}": "…"})`,
    );
  return Object.fromEntries(keys.flatMap((k) => (parsed.data[k] ? [[k, parsed.data[k]]] : []))) as Partial<
    Record<K, string>
  >;
}
