import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import type { LambdaFunctionURLEventWithIAMAuthorizer } from 'aws-lambda';
import { parse } from 'csv-parse/sync';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { bodyFromRequest, requestFromBody } from '../../core/archive/export.ts';
import { verifyArchive } from '../../core/archive/verify.ts';
import { DAY_MS } from '../../core/collector.ts';
import { appendIsmsRecord } from '../../core/isms/records.ts';
import { openSigner } from '../../core/stores/open.ts';
import { handler as collect } from '../../functions/collect.ts';
import { handler as digest } from '../../functions/digest.ts';
import {
  archiveKey,
  archivesInLastHour,
  FINISH_RESERVE_MS,
  handler,
  MAX_URL_SECONDS,
  parseArchiveRequest,
  perHour,
  urlSeconds,
} from '../../functions/export.ts';
import { closeEvidenceStore, evidenceStore } from '../../functions/shared/store.ts';
import { uploadObject } from '../../functions/shared/upload.ts';
import { unzipToMemory } from '../support/archive.ts';
import { awsConfig, describeAws } from '../support/aws.ts';
import { afterThisHour, runAt } from '../support/clock.ts';
import { createAwsStoreResources, createKmsSigningKey } from '../support/stores.ts';
import { lambdaContext } from './support.ts';

vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
});

const BUCKET = 'proofline-exports-test';
const ARCHIVE = 'exports/soc2/2026-01-01_2026-12-31/proofline-soc2.zip';

/** A function URL request as Lambda delivers it (payload format 2.0, IAM authorizer). */
const request = (key: string | undefined, method = 'GET', body?: unknown) =>
  ({
    version: '2.0',
    rawPath: '/',
    rawQueryString: key ? `key=${encodeURIComponent(key)}` : '',
    queryStringParameters: key ? { key } : undefined,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    // Function URLs hand over a JSON body as base64 unless the content type is text.
    ...(body === undefined
      ? { isBase64Encoded: false }
      : { isBase64Encoded: true, body: Buffer.from(JSON.stringify(body)).toString('base64') }),
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

describe('archives per hour', () => {
  it('is the configured number, 20 when unset or not a positive integer', () => {
    expect(perHour({ EXPORTS_PER_HOUR: '5' })).toBe(5);
    expect(perHour({})).toBe(20);
    expect(perHour({ EXPORTS_PER_HOUR: '0' })).toBe(20);
    expect(perHour({ EXPORTS_PER_HOUR: 'many' })).toBe(20);
  });
});

describeAws('export handler (moto)', () => {
  beforeAll(async () => {
    const s3 = new S3Client(awsConfig());
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: ARCHIVE, Body: 'zip bytes' }));
  });
  beforeEach(() => {
    vi.stubEnv('EXPORTS_BUCKET', BUCKET);
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
    expect(status(await handler(request(ARCHIVE, 'DELETE')))).toBe(405);
  });
});

describe('export request', () => {
  const body = (value: unknown) => ({ body: JSON.stringify(value), isBase64Encoded: false });

  it('names the field that is wrong', () => {
    expect(parseArchiveRequest(body({ framework: 'pci', from: '2026-01-01', to: '2026-01-31' }))).toMatch(
      /^framework: /,
    );
    expect(parseArchiveRequest(body({ framework: 'soc2', from: '1/1/2026', to: '2026-01-31' }))).toBe(
      'from: must be a date YYYY-MM-DD',
    );
    expect(
      parseArchiveRequest(body({ framework: 'soc2', from: '2026-01-01', to: '2026-01-31', extra: 1 })),
    ).toMatch(/extra/);
    expect(parseArchiveRequest({ body: 'not json', isBase64Encoded: false })).toMatch(/must be JSON/);
  });

  it('the CLI sends exactly what the function reads back', () => {
    const request = {
      framework: 'soc2',
      from: '2026-01-01',
      to: '2026-03-31',
      controls: ['IAM-01'],
      scopes: ['123456789012'],
      sample: { perControl: 5, seed: 'c0ffee' },
      compress: true,
    } as const;
    const sent = bodyFromRequest(request);
    expect(sent).toEqual({ ...request, sample: 5, seed: 'c0ffee' });
    const read = parseArchiveRequest(body(sent));
    expect(typeof read === 'string' ? read : requestFromBody(read, () => 'unused')).toEqual(request);
    // A seed alone: the auditor's seed, the default sample sizes by frequency.
    const seedOnly = parseArchiveRequest(
      body({ framework: 'soc2', from: '2026-01-01', to: '2026-01-02', seed: 'x' }),
    );
    expect(typeof seedOnly === 'string' ? seedOnly : requestFromBody(seedOnly, () => 'drawn').sample).toEqual(
      {
        seed: 'x',
      },
    );
    const unseeded = parseArchiveRequest(
      body({ framework: 'soc2', from: '2026-01-01', to: '2026-01-02', sample: 3 }),
    );
    expect(typeof unseeded === 'string' ? unseeded : requestFromBody(unseeded, () => 'drawn').sample).toEqual(
      {
        perControl: 3,
        seed: 'drawn',
      },
    );
  });

  it('puts each archive under exports/<framework>/<period>/ with a unique name', () => {
    const request = { framework: 'iso27001', from: '2026-01-01', to: '2026-03-31' } as const;
    const at = new Date('2026-11-27T23:40:05.123Z');
    const key = archiveKey(request, at);
    expect(key).toMatch(
      /^exports\/iso27001\/2026-01-01_2026-03-31\/proofline-iso27001-2026-01-01_2026-03-31-20261127T234005Z-[0-9a-f]{6}\.zip$/,
    );
    expect(archiveKey(request, at)).not.toBe(key);
  });
});

describeAws('streamed upload into an Object Lock bucket (moto)', () => {
  it('stores every byte of a multipart object with its SHA-256; an aborted one leaves nothing', async () => {
    const s3 = new S3Client(awsConfig());
    const { bucket } = await createAwsStoreResources('upload');
    const data = randomBytes(20 * 1024 * 1024 + 123);
    const upload = uploadObject(s3, { bucket, key: 'exports/big.zip', contentType: 'application/zip' });
    for (let i = 0; i < data.length; i += 1 << 20) upload.output.write(data.subarray(i, i + (1 << 20)));
    upload.output.end();
    const stored = await upload.done();
    expect(stored.size).toBe(data.length);
    expect(stored.sha256).toBe(createHash('sha256').update(data).digest('hex'));
    const read = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'exports/big.zip' }));
    expect(Buffer.from(await read.Body!.transformToByteArray()).equals(data)).toBe(true);

    const failed = uploadObject(s3, { bucket, key: 'exports/broken.zip', contentType: 'application/zip' });
    failed.output.write(data.subarray(0, 9 * 1024 * 1024));
    await failed.abort(new Error('the archive could not be finished'));
    const versions = await s3.send(
      new ListObjectVersionsCommand({ Bucket: bucket, Prefix: 'exports/broken' }),
    );
    expect(versions.Versions ?? []).toEqual([]);
  });
});

describeAws('export handler builds archives (moto: collect → digest → export → verify offline)', () => {
  const today = new Date().toISOString().slice(0, 10);
  let dir: string;
  let evidenceBucket: string;
  /** The exports bucket: versioned, without Object Lock, as the stack creates it. */
  const bucket = 'proofline-exportfn-exports';
  let spec: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'proofline-export-fn-'));
    const created = await createAwsStoreResources('exportfn');
    evidenceBucket = created.bucket;
    spec = `s3://${evidenceBucket}?table=${created.table}&key=${await createKmsSigningKey()}`;
    const s3 = new S3Client(awsConfig());
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(
      new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }),
    );
  });
  beforeEach(() => {
    vi.stubEnv('PROOFLINE_STORE', spec);
    vi.stubEnv('EVIDENCE_BUCKET', evidenceBucket);
    vi.stubEnv('EXPORTS_BUCKET', bucket);
    vi.stubEnv('EXPORT_URL_SECONDS', '600');
  });
  afterEach(() => vi.unstubAllEnvs());
  afterAll(() => closeEvidenceStore());

  const download = async (url: string) => Buffer.from(await (await fetch(url)).arrayBuffer());

  it('builds a signed archive of the period into exports/ of the exports bucket (never the locked evidence bucket) and returns a presigned URL to it', async () => {
    const account = { source: 'aws', id: '123456789012' };
    expect((await collect({ collectorId: 'aws.cloudtrail.trails', scope: account })).status).toBe('ok');
    const regional = { ...account, region: 'us-east-1' };
    expect((await collect({ collectorId: 'aws.kms.keys', scope: regional })).status).toBe('ok');
    const { written } = await runAt(afterThisHour(), () => digest({}));
    expect(written.length).toBeGreaterThan(0);

    const result = await handler(request(undefined, 'POST', { framework: 'soc2', from: today, to: today }));
    expect(status(result), JSON.stringify(body(result))).toBe(201);
    const built = body(result) as unknown as {
      key: string;
      url: string;
      size: number;
      sha256: string;
      fingerprint: string;
      evidence: { count: number };
    };
    expect(built.key).toMatch(new RegExp(`^exports/soc2/${today}_${today}/proofline-soc2-`));
    expect(new URL(built.url).searchParams.get('X-Amz-Expires')).toBe('600');
    expect(built.evidence.count).toBe(2);

    const zip = await download(built.url);
    expect(zip.length).toBe(built.size);
    expect(createHash('sha256').update(zip).digest('hex')).toBe(built.sha256);
    const path = join(dir, 'soc2.zip');
    await writeFile(path, zip);
    const publicKeyPem = await (await openSigner(spec)).publicKeyPem();
    const report = await verifyArchive(path, { publicKeyPem });
    expect(report.problems).toEqual([]);
    expect(report.ok && report.keyTrusted).toBe(true);
    expect(report.fingerprint).toBe(built.fingerprint);
    const names = (await unzipToMemory(zip)).map((f) => f.name);
    expect(names.filter((n) => n.startsWith('evidence/'))).toHaveLength(2);
    expect(names.some((n) => n.startsWith('digests/'))).toBe(true);

    const inEvidence = await new S3Client(awsConfig()).send(
      new ListObjectVersionsCommand({ Bucket: evidenceBucket, Prefix: 'exports/' }),
    );
    expect(inEvidence.Versions ?? []).toEqual([]);

    // The same archive can be fetched again later by its key.
    const again = await handler(request(built.key));
    expect(status(again)).toBe(200);
    expect((await download(String(body(again).url))).equals(zip)).toBe(true);
  });

  it('an ISO 27001 archive carries the Statement of Applicability, the ISMS records and the request list from the bundled governance files', async () => {
    const result = await handler(
      request(undefined, 'POST', { framework: 'iso27001', from: today, to: today, sample: 1, seed: 'a1' }),
    );
    expect(status(result), JSON.stringify(body(result))).toBe(201);
    const files = await unzipToMemory(await download(String(body(result).url)));
    const soa = files
      .find((f) => f.name === 'soa.csv')
      ?.bytes.toString('utf8')
      .trim()
      .split('\n');
    expect(soa).toHaveLength(94);
    expect(files.find((f) => f.name === 'samples.csv')?.bytes.toString('utf8')).toContain('a1');
    const names = files.map((f) => f.name);
    expect(names).toEqual(
      expect.arrayContaining(['isms/risk-register.csv', 'isms/soa-approval.csv', 'request-list.csv']),
    );
    expect(files.find((f) => f.name === 'system-description.md')?.bytes.toString('utf8')).not.toContain(
      'No subservice catalog given',
    );
  });

  it('stops an archive that would outlast the function with 413 and the reason, and leaves nothing behind', async () => {
    const exportsNow = async () =>
      (
        await new S3Client(awsConfig()).send(
          new ListObjectVersionsCommand({ Bucket: bucket, Prefix: 'exports/' }),
        )
      ).Versions?.length ?? 0;
    const before = await exportsNow();
    const almostOutOfTime = { ...lambdaContext(), getRemainingTimeInMillis: () => FINISH_RESERVE_MS - 1 };
    const result = await handler(
      request(undefined, 'POST', { framework: 'soc2', from: today, to: today }),
      almostOutOfTime,
    );
    expect(status(result)).toBe(413);
    expect(String(body(result).error)).toMatch(/1 of 2 evidence files written/);
    expect(await exportsNow()).toBe(before);
  });

  it('answers a request it cannot build with 400 and the reason, and writes nothing', async () => {
    const before = await new S3Client(awsConfig()).send(
      new ListObjectVersionsCommand({ Bucket: bucket, Prefix: 'exports/' }),
    );
    const rejected = [
      { framework: 'soc2', from: today, to: '2000-01-01' },
      { framework: 'soc2', from: today, to: today, controls: ['NOPE-99'] },
      { framework: 'soc2', from: '2026-02-30', to: today },
    ];
    const reasons = [];
    for (const requestBody of rejected) {
      const result = await handler(request(undefined, 'POST', requestBody));
      expect(status(result)).toBe(400);
      reasons.push(String(body(result).error));
    }
    expect(reasons[0]).toMatch(/is before/);
    expect(reasons[1]).toMatch(/unknown control "NOPE-99"/);
    expect(reasons[2]).toMatch(/2026-02-30/);
    const after = await new S3Client(awsConfig()).send(
      new ListObjectVersionsCommand({ Bucket: bucket, Prefix: 'exports/' }),
    );
    expect(after.Versions?.length ?? 0).toBe(before.Versions?.length ?? 0);
  });

  it('refuses further archives with 429 once the hour’s quota is built, and builds again when it allows more', async () => {
    const built = await archivesInLastHour();
    expect(built).toBeGreaterThan(0);
    const ask = () => handler(request(undefined, 'POST', { framework: 'soc2', from: today, to: today }));
    vi.stubEnv('EXPORTS_PER_HOUR', String(built));
    const refused = await ask();
    expect(status(refused)).toBe(429);
    expect((refused as { headers: Record<string, string> }).headers['retry-after']).toBe('600');
    expect(String(body(refused).error)).toBe(`at most ${built} archives are built per hour; try again later`);
    expect(await archivesInLastHour()).toBe(built);
    vi.stubEnv('EXPORTS_PER_HOUR', String(built + 1));
    expect(status(await ask())).toBe(201);
    expect(await archivesInLastHour()).toBe(built + 1);
    // Archives older than an hour no longer count.
    expect(await archivesInLastHour(new Date(Date.now() + 3_600_000 + 60_000))).toBe(0);
  });
  it('judges the SoA approval of an ISO 27001 archive by the configured isms.soaMaxAgeDays (ISMS_SETTINGS)', async () => {
    const approvedAt = new Date(Date.now() - 10 * DAY_MS).toISOString();
    await appendIsmsRecord(
      await evidenceStore(),
      'soa-approval',
      () => ({
        kind: 'soa-approval',
        version: '2.0',
        approver: 'Alex Morgan',
        sha256: 'a'.repeat(64),
        approvedAt,
        recordedBy: 'Dana Reyes',
      }),
      new Date(),
    );
    const soaApproval = async () => {
      const result = await handler(
        request(undefined, 'POST', { framework: 'iso27001', from: today, to: today }),
      );
      expect(status(result), JSON.stringify(body(result))).toBe(201);
      const files = await unzipToMemory(await download(String(body(result).url)));
      const csv = files.find((f) => f.name === 'isms/soa-approval.csv')!.bytes.toString('utf8');
      return (parse(csv, { columns: true }) as Record<string, string>[])[0]!;
    };
    const byDefault = await soaApproval();
    expect(byDefault).toMatchObject({ version: '2.0', approved_at: approvedAt, stale: 'no' });
    vi.stubEnv('ISMS_SETTINGS', JSON.stringify({ soaMaxAgeDays: 5 }));
    const configured = await soaApproval();
    expect(configured).toMatchObject({ version: '2.0', stale: 'yes' });
    expect(configured.gap).toMatch(
      /^the SoA approval \(version 2\.0, \d{4}-\d\d-\d\d\) is 1[01] days old, more than the 5 allowed$/,
    );
  });
});
