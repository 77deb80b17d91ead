import { randomBytes } from 'node:crypto';
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { APIGatewayProxyResultV2, Context, LambdaFunctionURLEventWithIAMAuthorizer } from 'aws-lambda';
import { archiveGovernance } from '../controls/archive-sources.ts';
import { loadFrameworks } from '../controls/frameworks.ts';
import {
  type ArchiveRequestBody,
  archiveRequestBodySchema,
  requestFromBody,
  writeArchive,
} from '../core/archive/export.ts';
import { ArchiveInputError } from '../core/archive/period.ts';
import { IntegrityError } from '../core/artifact.ts';
import { ENV, PREFIX, TELEMETRY } from '../core/deployed.ts';
import { ProoflineError } from '../core/errors.ts';
import { issueLine, requiredEnv } from '../core/validate.ts';
import { catalogControls, deployedCollectors } from './shared/catalog.ts';
import { logger, MetricUnit, metrics, withMetrics } from './shared/observability.ts';
import { deployedSchedules, ismsSettings } from './shared/settings.ts';
import { evidenceStore, storeSigner } from './shared/store.ts';
import { uploadObject } from './shared/upload.ts';

/** A presigned URL never outlives this, whatever the configuration says. */
export const MAX_URL_SECONDS = 3600;

const EXPORT_KEY = /^exports\/(?:[\w!'()*.=+,@-]+\/)*[\w!'()*.=+,@-]+$/;

let s3: S3Client | undefined;
const client = () => {
  s3 ??= new S3Client({});
  return s3;
};

const json = (
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): APIGatewayProxyResultV2 => ({
  statusCode,
  headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers },
  body: JSON.stringify(body),
});

export function urlSeconds(env: NodeJS.ProcessEnv = process.env): number {
  const configured = Number(env[ENV.exportUrlSeconds] ?? 900);
  if (!Number.isInteger(configured) || configured < 1) return 900;
  return Math.min(configured, MAX_URL_SECONDS);
}

/** The exports bucket (unlocked, expiring): archives are copies, never written under the evidence's lock. */
const bucketName = (): string => requiredEnv(ENV.exportsBucket);

/** Archives built per hour at most (the stack's `deploy.exports.perHour`). */
export function perHour(env: NodeJS.ProcessEnv = process.env): number {
  const configured = Number(env[ENV.exportsPerHour] ?? 20);
  return Number.isInteger(configured) && configured >= 1 ? configured : 20;
}

/** Archives written under exports/ in the hour before `now` (the bucket expires them, so the listing is short). */
export async function archivesInLastHour(now: Date = new Date()): Promise<number> {
  const since = now.getTime() - 3_600_000;
  let count = 0;
  let token: string | undefined;
  do {
    const page: ListObjectsV2CommandOutput = await client().send(
      new ListObjectsV2Command({ Bucket: bucketName(), Prefix: PREFIX.exports, ContinuationToken: token }),
    );
    count += (page.Contents ?? []).filter((o) => (o.LastModified?.getTime() ?? 0) > since).length;
    token = page.NextContinuationToken;
  } while (token);
  return count;
}

async function presign(key: string) {
  const expiresIn = urlSeconds();
  const url = await getSignedUrl(client(), new GetObjectCommand({ Bucket: bucketName(), Key: key }), {
    expiresIn,
  });
  return { url, expiresIn, expiresAt: new Date(Date.now() + expiresIn * 1000).toISOString() };
}

/** Where a new archive goes: by framework and period, then a UTC timestamp and a random suffix. */
export function archiveKey(request: ArchiveRequestBody, now: Date = new Date()): string {
  const period = `${request.from}_${request.to}`;
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  return `${PREFIX.exports}${request.framework}/${period}/proofline-${request.framework}-${period}-${stamp}-${randomBytes(3).toString('hex')}.zip`;
}

/** A JSON body as a function URL delivers it (possibly base64), validated; or the problem, naming the field. */
export function parseArchiveRequest(
  event: Pick<LambdaFunctionURLEventWithIAMAuthorizer, 'body' | 'isBase64Encoded'>,
): ArchiveRequestBody | string {
  const text = event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString('utf8') : event.body;
  let data: unknown;
  try {
    data = JSON.parse(text ?? '');
  } catch {
    return 'the body must be JSON: {"framework": "soc2", "from": "YYYY-MM-DD", "to": "YYYY-MM-DD", …}';
  }
  const parsed = archiveRequestBodySchema.safeParse(data);
  if (parsed.success) return parsed.data;
  return parsed.error.issues.map((i) => issueLine(i, [], '(body)')).join('; ');
}

/** Time kept back to finish the archive's last files, complete or abort the upload, and answer. */
export const FINISH_RESERVE_MS = 60_000;

/** The archive could not be finished within the function's time. */
export class ExportTooLargeError extends ProoflineError {
  override name = 'ExportTooLargeError';
}

/** Builds the archive straight into exports/ (nothing on local disk) and returns where it is. */
async function buildExport(
  request: ArchiveRequestBody,
  caller: string | undefined,
  remainingMs: () => number = () => Number.POSITIVE_INFINITY,
) {
  const [store, signingKey, controls, frameworks] = await Promise.all([
    evidenceStore(),
    storeSigner(),
    catalogControls(),
    loadFrameworks(),
  ]);
  const governance = await archiveGovernance(store, controls, frameworks, request.framework, ismsSettings());
  const key = archiveKey(request);
  const upload = uploadObject(client(), { bucket: bucketName(), key, contentType: 'application/zip' });
  try {
    const result = await writeArchive(
      {
        store,
        signer: signingKey,
        controls,
        collectors: deployedCollectors,
        frameworks,
        schedules: deployedSchedules(),
        ...governance,
      },
      requestFromBody(request, () => randomBytes(4).toString('hex')),
      upload.output,
      ({ done, total }) => {
        if (done < total && remainingMs() < FINISH_RESERVE_MS)
          throw new ExportTooLargeError(
            `the archive could not be built within the function's time (${done} of ${total} evidence files written); ask for a shorter period, fewer controls or scopes, or have the organisation run \`proofline export\` against the deployed store`,
          );
      },
    );
    const object = await upload.done();
    const { manifest } = result;
    logger.info('export built', {
      key,
      caller,
      framework: manifest.framework,
      evidence: manifest.evidence.count,
      bytes: object.size,
    });
    metrics.addMetric(TELEMETRY.metrics.exportsBuilt, MetricUnit.Count, 1);
    return {
      key,
      size: object.size,
      sha256: object.sha256,
      fingerprint: result.fingerprint,
      manifestSha256: result.manifestSha256,
      framework: manifest.framework,
      period: { from: manifest.period.from, to: manifest.period.to, days: manifest.period.days },
      controls: manifest.controls.length,
      evidence: { count: manifest.evidence.count, bytes: manifest.evidence.bytes },
      ...(manifest.sample ? { sample: manifest.sample } : {}),
      verify: `proofline verify ${key.slice(key.lastIndexOf('/') + 1)} --fingerprint ${result.fingerprint}`,
    };
  } catch (error) {
    await upload.abort(error as Error);
    throw error;
  }
}

/**
 * The auditor's entry point, a function URL with IAM authentication:
 * - `POST` a JSON body `{framework, from, to, controls?, scopes?, sample?, seed?, compress?}` → builds a
 *   signed archive into exports/ and returns its key, SHA-256, signing-key fingerprint and a presigned URL;
 * - `GET ?key=exports/…` → a fresh presigned URL for an archive built before.
 * A presigned URL is valid for the configured time, at most one hour.
 */
export async function handler(
  event: LambdaFunctionURLEventWithIAMAuthorizer,
  context?: Context,
): Promise<APIGatewayProxyResultV2> {
  if (context) logger.addContext(context);
  return withMetrics(async () => {
    const method = event.requestContext?.http?.method ?? 'GET';
    const caller = event.requestContext?.authorizer?.iam?.userArn;
    if (method === 'POST') {
      const request = parseArchiveRequest(event);
      if (typeof request === 'string') return json(400, { error: request });
      const limit = perHour();
      if ((await archivesInLastHour()) >= limit)
        return json(
          429,
          { error: `at most ${limit} archives are built per hour; try again later` },
          { 'retry-after': '600' },
        );
      try {
        const built = await buildExport(
          request,
          caller,
          context ? () => context.getRemainingTimeInMillis() : undefined,
        );
        return json(201, { ...built, ...(await presign(built.key)) });
      } catch (error) {
        if (error instanceof ArchiveInputError) return json(400, { error: error.message });
        if (error instanceof ExportTooLargeError) return json(413, { error: error.message });
        // Evidence that no longer matches its index is not exported; the auditor learns why.
        if (error instanceof IntegrityError) {
          logger.error('export refused: evidence integrity', { error: error.message, caller });
          return json(409, { error: error.message });
        }
        throw error;
      }
    }
    if (method !== 'GET')
      return json(405, { error: `method ${method} not allowed; use POST (build) or GET ?key=exports/…` });
    const key = event.queryStringParameters?.key ?? '';
    if (!EXPORT_KEY.test(key) || key.split('/').some((part) => part === '.' || part === '..')) {
      return json(400, { error: `key must name an object under ${PREFIX.exports}, got "${key}"` });
    }
    let head: { ContentLength?: number; ChecksumSHA256?: string };
    try {
      head = await client().send(
        new HeadObjectCommand({ Bucket: bucketName(), Key: key, ChecksumMode: 'ENABLED' }),
      );
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      // Without s3:ListBucket on the whole bucket, S3 answers 403 rather than 404 for a missing key.
      if (status === 404 || status === 403) return json(404, { error: `no export ${key}` });
      throw error;
    }
    const { url, expiresIn, expiresAt } = await presign(key);
    logger.info('export URL issued', { key, expiresIn, caller });
    return json(200, {
      key,
      url,
      expiresAt,
      size: head.ContentLength,
      ...(head.ChecksumSHA256 && !head.ChecksumSHA256.includes('-')
        ? { sha256: Buffer.from(head.ChecksumSHA256, 'base64').toString('hex') }
        : {}),
    });
  });
}
