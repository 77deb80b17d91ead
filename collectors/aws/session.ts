import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { ProoflineError } from '../../core/errors.ts';

/** The SDK v3 client shape we rely on: configurable, with a middleware stack. */
interface SdkClient {
  middlewareStack: { add(middleware: unknown, options: { step: 'initialize'; name: string }): void };
}
type ClientClass<C> = new (config: Record<string, unknown>) => C;

export interface AwsSessionOptions {
  /** Named profile of the shared config files; default: the standard credential chain. */
  readonly profile?: string;
  readonly credentials?: AwsCredentialIdentityProvider;
  /** Region for global services and account-level calls. Default: us-east-1. */
  readonly homeRegion?: string;
  /** Called on every API call (used to count calls in benchmarks and tests), before the SDK's retries. */
  readonly onCall?: (service: string, operation: string) => void;
  /** Longest silence (ms) on a request's socket before the attempt is abandoned and retried. Default: 30 s. */
  readonly requestTimeoutMs?: number;
}

/** A host that does not accept the connection in this time is given up on (and the call retried). */
const CONNECTION_TIMEOUT_MS = 5_000;
/** A request silent this long is abandoned (and retried): one that never answers would hold its collector. */
const REQUEST_TIMEOUT_MS = 30_000;

/**
 * One account's clients, created once per service × region. Endpoints come from the standard
 * `AWS_ENDPOINT_URL` / `AWS_ENDPOINT_URL_<SERVICE>` settings, credentials from the standard chain, and every
 * client retries throttling with the SDK's adaptive mode (six attempts, each abandoned when its connection
 * or its answer does not come in time).
 */
export class AwsSession {
  readonly homeRegion: string;
  private readonly clients = new WeakMap<object, Map<string, unknown>>();
  private account?: Promise<string>;

  constructor(private readonly options: AwsSessionOptions = {}) {
    this.homeRegion = options.homeRegion ?? 'us-east-1';
  }

  client<C extends object>(
    Client: ClientClass<C>,
    region: string = this.homeRegion,
    config: Record<string, unknown> = {},
  ): C {
    const byRegion = this.clients.get(Client) ?? new Map<string, unknown>();
    this.clients.set(Client, byRegion);
    let client = byRegion.get(region) as C | undefined;
    if (!client) {
      client = new Client({
        ...config,
        region,
        retryMode: 'adaptive',
        maxAttempts: 6,
        requestHandler: {
          connectionTimeout: CONNECTION_TIMEOUT_MS,
          requestTimeout: this.options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS,
          // Without it the handler only logs a warning and the call waits on.
          throwOnRequestTimeout: true,
        },
        ...(this.options.profile ? { profile: this.options.profile } : {}),
        ...(this.options.credentials ? { credentials: this.options.credentials } : {}),
        // A custom endpoint (emulator, VPC endpoint) answers on one host name: address buckets by path and
        // keep account ids out of the host (S3 Control prefixes them otherwise).
        ...(customEndpoint() ? { forcePathStyle: true, disableHostPrefix: true } : {}),
      });
      (client as unknown as SdkClient).middlewareStack.add(
        (next: (args: unknown) => Promise<unknown>, context: { clientName?: string; commandName?: string }) =>
          async (args: unknown) => {
            const service = (context.clientName ?? Client.name).replace(/Client$/, '');
            const operation = (context.commandName ?? '').replace(/Command$/, '');
            this.options.onCall?.(service, operation);
            try {
              return await next(args);
            } catch (error) {
              // The error artifact names the call that failed (after the SDK's retries), whatever threw.
              if (error && typeof error === 'object' && !('operation' in error))
                Object.assign(error, { operation: `${service}.${operation}` });
              throw error;
            }
          },
        { step: 'initialize', name: 'prooflineCall' },
      );
      byRegion.set(region, client);
    }
    return client;
  }

  /** The account the credentials belong to; fails with a clear message when there are none. */
  accountId(): Promise<string> {
    this.account ??= this.client(STSClient)
      .send(new GetCallerIdentityCommand({}))
      .then((identity) => identity.Account ?? '')
      .catch((error: Error) => {
        throw new AwsCredentialsError(error);
      });
    return this.account;
  }
}

const customEndpoint = () => Object.keys(process.env).some((name) => name.startsWith('AWS_ENDPOINT_URL'));

/**
 * Client config for a service whose endpoint rules put the account id in the host name (S3 Control): a
 * single-host custom endpoint cannot serve that, so requests go to the configured URL as it is.
 */
export function singleHostEndpoint(serviceEnvSuffix: string): Record<string, unknown> {
  const url = process.env[`AWS_ENDPOINT_URL_${serviceEnvSuffix}`] ?? process.env.AWS_ENDPOINT_URL;
  return url ? { endpointProvider: () => ({ url: new URL(url) }) } : {};
}

export class AwsCredentialsError extends ProoflineError {
  override name = 'AwsCredentialsError';
  constructor(cause: Error) {
    const noCredentials = cause.name === 'CredentialsProviderError' || /credential/i.test(cause.message);
    super(
      noCredentials
        ? `No AWS credentials found (${cause.message}). Set AWS_PROFILE or pass --profile, or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.`
        : `Could not identify the AWS account with sts:GetCallerIdentity: ${cause.name}: ${cause.message}`,
      { cause },
    );
  }
}

/** Resolves to undefined instead of throwing when the API says "not configured" with one of `codes`. */
export async function unlessMissing<T>(call: Promise<T>, ...codes: string[]): Promise<T | undefined> {
  try {
    return await call;
  } catch (error) {
    const e = error as { name?: string; Code?: string };
    if (codes.includes(e.name ?? '') || codes.includes(e.Code ?? '')) return undefined;
    throw error;
  }
}
