import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { LambdaFunctionURLEventWithIAMAuthorizer } from 'aws-lambda';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { handler, MAX_URL_SECONDS, urlSeconds } from '../../functions/export.ts';
import { awsConfig, describeAws } from '../support/aws.ts';

vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
});

const BUCKET = 'proofline-evidence-test';
const ARCHIVE = 'exports/soc2/2026-01-01_2026-12-31/proofline-soc2.zip';

/** A function URL request as Lambda delivers it (payload format 2.0, IAM authorizer). */
const request = (key: string | undefined, method = 'GET') =>
  ({
    version: '2.0',
    rawPath: '/',
    rawQueryString: key ? `key=${encodeURIComponent(key)}` : '',
    queryStringParameters: key ? { key } : undefined,
    headers: {},
    isBase64Encoded: false,
    requestContext: {
      http: { method, path: '/', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
      authorizer: { iam: { userArn: 'arn:aws:sts::333333333333:assumed-role/ExternalAuditor/alice' } },
    },
  }) as unknown as LambdaFunctionURLEventWithIAMAuthorizer;

const body = (result: Awaited<ReturnType<typeof handler>>) =>
  JSON.parse((result as { body: string }).body) as Record<string, string | number>;
const status = (result: Awaited<ReturnType<typeof handler>>) => (result as { statusCode: number }).statusCode;

describe('export URL validity', () => {
  it('is the configured time, never more than an hour', () => {
    expect(urlSeconds({ EXPORT_URL_SECONDS: '900' })).toBe(900);
    expect(urlSeconds({ EXPORT_URL_SECONDS: '7200' })).toBe(MAX_URL_SECONDS);
    expect(urlSeconds({})).toBe(900);
    expect(MAX_URL_SECONDS).toBe(3600);
  });
});

describeAws('export handler (moto)', () => {
  beforeAll(async () => {
    const s3 = new S3Client(awsConfig());
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: ARCHIVE, Body: 'zip bytes' }));
  });
  beforeEach(() => {
    vi.stubEnv('EVIDENCE_BUCKET', BUCKET);
    vi.stubEnv('EXPORT_URL_SECONDS', '900');
  });
  afterEach(() => vi.unstubAllEnvs());

  it('returns a presigned GET URL for an existing export, valid for the configured time', async () => {
    const before = Date.now();
    const result = await handler(request(ARCHIVE));
    expect(status(result)).toBe(200);
    const { url, expiresAt, size } = body(result);
    expect(size).toBe(9);
    const signed = new URL(String(url));
    expect(signed.pathname).toContain(ARCHIVE);
    expect(signed.searchParams.get('X-Amz-Expires')).toBe('900');
    expect(Date.parse(String(expiresAt)) - before).toBeGreaterThanOrEqual(899_000);
    expect(Date.parse(String(expiresAt)) - before).toBeLessThanOrEqual(901_000);
    expect(await (await fetch(String(url))).text()).toBe('zip bytes');
  });

  it('caps the validity at one hour whatever the configuration says', async () => {
    vi.stubEnv('EXPORT_URL_SECONDS', '86400');
    const { url } = body(await handler(request(ARCHIVE)));
    expect(new URL(String(url)).searchParams.get('X-Amz-Expires')).toBe('3600');
  });

  it('hands out nothing outside exports/, nothing missing, and answers GET only', async () => {
    expect(status(await handler(request('evidence/source=aws/x.json')))).toBe(400);
    expect(status(await handler(request('exports/../evidence/x.json')))).toBe(400);
    expect(status(await handler(request(undefined)))).toBe(400);
    expect(status(await handler(request('exports/nothing-here.zip')))).toBe(404);
    expect(status(await handler(request(ARCHIVE, 'POST')))).toBe(405);
  });
});
