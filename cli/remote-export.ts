import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { get as httpGet, type IncomingMessage } from 'node:http';
import { get as httpsGet } from 'node:https';
import { pipeline } from 'node:stream/promises';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { Hash } from '@smithy/core/serde';
import { SignatureV4 } from '@smithy/signature-v4';
import { type ArchiveRequest, bodyFromRequest } from '../core/archive/export.ts';
import { ProoflineError, UsageError } from '../core/errors.ts';
import { hashingStream } from '../core/hashing-stream.ts';

/** What the export function answers to a build (docs/deploy.md, "Auditor access"). */
export interface RemoteArchive {
  readonly key: string;
  readonly url: string;
  readonly size: number;
  readonly sha256: string;
  readonly fingerprint: string;
}

export class RemoteExportError extends ProoflineError {
  override name = 'RemoteExportError';
}

/**
 * A GET through node:http(s), not fetch: the archive is written as it arrives, and Node 22's fetch dies with an
 * uncatchable assertion when the server closes the connection while the body is paused for a slower disk.
 */
function get(url: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    (url.startsWith('https:') ? httpsGet : httpGet)(url, resolve).on('error', reject);
  });
}

/** `https://<id>.lambda-url.<region>.on.aws/` → the region its IAM signature is scoped to. */
export function functionUrlRegion(url: URL): string | undefined {
  return /\.lambda-url\.([a-z0-9-]+)\.on\.aws$/.exec(url.hostname)?.[1];
}

/**
 * Asks a deployed export function to build an archive (a SigV4-signed POST, as the function URL's IAM
 * authentication requires, with the caller's AWS credentials) and downloads it to `out` through the presigned
 * URL it returns, checking the SHA-256 the function reported. The caller verifies the archive itself.
 */
export async function remoteExport(
  functionUrl: string,
  request: ArchiveRequest,
  out: string,
  options: {
    readonly region?: string;
    readonly credentials?: AwsCredentialIdentityProvider;
    readonly profile?: string;
  } = {},
): Promise<RemoteArchive & { path: string }> {
  let url: URL;
  try {
    url = new URL(functionUrl);
  } catch {
    throw new UsageError(`--url ${functionUrl} is not a URL (the stack's ExportUrl output)`);
  }
  const region = options.region ?? functionUrlRegion(url) ?? process.env.AWS_REGION;
  if (!region)
    throw new UsageError(
      `--url ${functionUrl}: not a Lambda function URL; set AWS_REGION to sign for its region`,
    );
  const body = JSON.stringify(bodyFromRequest(request));
  const signer = new SignatureV4({
    service: 'lambda',
    region,
    credentials:
      options.credentials ?? fromNodeProviderChain(options.profile ? { profile: options.profile } : {}),
    sha256: Hash.bind(null, 'sha256'),
  });
  const signed = await signer.sign({
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    ...(url.port ? { port: Number(url.port) } : {}),
    path: url.pathname,
    query: {},
    headers: { host: url.host, 'content-type': 'application/json' },
    body,
  });
  const response = await fetch(url, { method: 'POST', headers: signed.headers, body });
  const answer = (await response.json().catch(() => ({}))) as Partial<RemoteArchive> & { error?: string };
  if (response.status !== 201)
    throw new RemoteExportError(
      `the export function answered ${response.status}: ${answer.error ?? (answer as { Message?: string }).Message ?? response.statusText}`,
    );
  if (!answer.url || !answer.sha256 || !answer.key || !answer.fingerprint)
    throw new RemoteExportError(
      'the export function answered 201 without the archive’s url, key, sha256 and fingerprint',
    );

  const partial = `${out}.partial`;
  const download = await get(answer.url);
  const status = download.statusCode ?? 0;
  if (status < 200 || status > 299) {
    download.resume();
    throw new RemoteExportError(`downloading ${answer.key} failed: HTTP ${status}`);
  }
  const hashing = hashingStream();
  try {
    await pipeline(download, hashing.stream, createWriteStream(partial, { flags: 'wx' }));
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
  const { sha256 } = hashing.result();
  if (sha256 !== answer.sha256) {
    await rm(partial, { force: true });
    throw new RemoteExportError(
      `downloaded ${answer.key} has SHA-256 ${sha256}, the export function reported ${answer.sha256}`,
    );
  }
  await rename(partial, out);
  return { ...(answer as RemoteArchive), path: out };
}
