import { ENV } from '../../core/deployed.ts';
import type { Signer } from '../../core/signing.ts';
import { type ChainedStore, openSigner, openStore } from '../../core/stores/open.ts';
import { requiredEnv } from '../../core/validate.ts';

/**
 * The store the stack created: `s3://<bucket>?table=<table>&key=<signing key>&retention=<days>`, or a whole
 * spec in PROOFLINE_STORE (a folder, for local runs and tests).
 */
export function storeSpec(env: NodeJS.ProcessEnv = process.env): string {
  const whole = env[ENV.store];
  if (whole) return whole;
  const query = new URLSearchParams({
    table: requiredEnv(ENV.table, env),
    key: requiredEnv(ENV.signingKey, env),
  });
  if (env[ENV.retentionDays]) query.set('retention', env[ENV.retentionDays]!);
  return `s3://${requiredEnv(ENV.bucket, env)}?${query}`;
}

let opened: Promise<ChainedStore> | undefined;

/** Opened once per runtime and reused by later invocations; a failed open is retried on the next call. */
export function evidenceStore(): Promise<ChainedStore> {
  opened ??= openStore(storeSpec()).catch((error: unknown) => {
    opened = undefined;
    throw error;
  });
  return opened;
}

let signer: Promise<Signer> | undefined;

/** The store's signing key (KMS), opened once per runtime; a failed open is retried on the next call. */
export function storeSigner(): Promise<Signer> {
  signer ??= openSigner(storeSpec()).catch((error: unknown) => {
    signer = undefined;
    throw error;
  });
  return signer;
}

/** Closes the shared store and forgets the signer (tests; a Lambda runtime keeps them). */
export async function closeEvidenceStore(): Promise<void> {
  signer = undefined;
  const store = opened;
  opened = undefined;
  if (store) await (await store).close();
}
