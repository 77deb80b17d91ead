import { GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { APIGatewayProxyResultV2, Context, LambdaFunctionURLEventWithIAMAuthorizer } from 'aws-lambda';
import { ENV, PREFIX } from '../core/deployed.ts';
import { logger, withMetrics } from './shared/observability.ts';

/** A presigned URL never outlives this, whatever the configuration says. */
export const MAX_URL_SECONDS = 3600;

const EXPORT_KEY = /^exports\/(?:[\w!'()*.=+,@-]+\/)*[\w!'()*.=+,@-]+$/;

let s3: S3Client | undefined;
const client = () => {
  s3 ??= new S3Client({});
  return s3;
};

const json = (statusCode: number, body: unknown): APIGatewayProxyResultV2 => ({
  statusCode,
  headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
  body: JSON.stringify(body),
});

export function urlSeconds(env: NodeJS.ProcessEnv = process.env): number {
  const configured = Number(env[ENV.exportUrlSeconds] ?? 900);
  if (!Number.isInteger(configured) || configured < 1) return 900;
  return Math.min(configured, MAX_URL_SECONDS);
}

/**
 * The auditor's download: `GET <function URL>?key=exports/…` (IAM-authenticated) → a presigned GET URL for an
 * existing export archive, valid for at most one hour. Building archives is the export command's job; this
 * function only hands out what is already in exports/.
 */
export async function handler(
  event: LambdaFunctionURLEventWithIAMAuthorizer,
  context?: Context,
): Promise<APIGatewayProxyResultV2> {
  if (context) logger.addContext(context);
  return withMetrics(async () => {
    const method = event.requestContext?.http?.method ?? 'GET';
    if (method !== 'GET') return json(405, { error: `method ${method} not allowed; use GET ?key=exports/…` });
    const key = event.queryStringParameters?.key ?? '';
    if (!EXPORT_KEY.test(key) || key.split('/').some((part) => part === '.' || part === '..')) {
      return json(400, { error: `key must name an object under ${PREFIX.exports}, got "${key}"` });
    }
    const bucket = process.env[ENV.bucket];
    if (!bucket) throw new Error(`environment variable ${ENV.bucket} is not set`);
    let head: { ContentLength?: number; LastModified?: Date; ChecksumSHA256?: string };
    try {
      head = await client().send(
        new HeadObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: 'ENABLED' }),
      );
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      // Without s3:ListBucket on the whole bucket, S3 answers 403 rather than 404 for a missing key.
      if (status === 404 || status === 403) return json(404, { error: `no export ${key}` });
      throw error;
    }
    const expiresIn = urlSeconds();
    const url = await getSignedUrl(client(), new GetObjectCommand({ Bucket: bucket, Key: key }), {
      expiresIn,
    });
    logger.info('export URL issued', {
      key,
      expiresIn,
      caller: event.requestContext?.authorizer?.iam?.userArn,
    });
    return json(200, {
      key,
      url,
      expiresAt: new Date(Date.now() + expiresIn * 1000).toISOString(),
      size: head.ContentLength,
      ...(head.ChecksumSHA256 ? { sha256: Buffer.from(head.ChecksumSHA256, 'base64').toString('hex') } : {}),
    });
  });
}
