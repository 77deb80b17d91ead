import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { Hash } from '@smithy/core/serde';
import { SignatureV4 } from '@smithy/signature-v4';
import type { LambdaFunctionURLEventWithIAMAuthorizer } from 'aws-lambda';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { functionUrlRegion } from '../../cli/remote-export.ts';
import { publicKeyFingerprint } from '../../core/signing.ts';
import { openSigner } from '../../core/stores/open.ts';
import { handler as collect } from '../../functions/collect.ts';
import { handler as exportFunction } from '../../functions/export.ts';
import { closeEvidenceStore } from '../../functions/shared/store.ts';
import { awsConfig, describeAws } from '../support/aws.ts';
import { runCli, tempStore } from '../support/cli.ts';
import { createAwsStoreResources, createKmsSigningKey } from '../support/stores.ts';

vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
});

/**
 * A stand-in for a Lambda function URL with IAM authentication (no emulator offers one): it re-signs each
 * request with the credentials it trusts and refuses a signature that differs, as AWS does (403), then hands
 * the request to the real export handler as a function URL event.
 */
async function functionUrlStandIn(credentials: { accessKeyId: string; secretAccessKey: string }) {
  const signer = new SignatureV4({
    service: 'lambda',
    region: 'us-east-1',
    credentials,
    sha256: Hash.bind(null, 'sha256'),
  });
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    const amzDate = String(req.headers['x-amz-date'] ?? '');
    const signingDate = new Date(
      amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'),
    );
    const expected = Number.isNaN(signingDate.getTime())
      ? undefined
      : await signer.sign(
          {
            method: req.method ?? 'GET',
            protocol: 'http:',
            hostname: url.hostname,
            port: Number(url.port),
            path: url.pathname,
            query: {},
            headers: { host: String(req.headers.host), 'content-type': String(req.headers['content-type']) },
            body,
          },
          { signingDate },
        );
    if (!expected || expected.headers.authorization !== req.headers.authorization) {
      res.writeHead(403, { 'content-type': 'application/json' }).end('{"Message":"Forbidden"}');
      return;
    }
    const result = (await exportFunction({
      version: '2.0',
      rawPath: url.pathname,
      rawQueryString: url.search.slice(1),
      headers: req.headers as Record<string, string>,
      isBase64Encoded: false,
      body,
      requestContext: {
        http: { method: req.method ?? 'GET' },
        authorizer: { iam: { userArn: 'arn:aws:iam::123456789012:user/auditor' } },
      },
    } as unknown as LambdaFunctionURLEventWithIAMAuthorizer)) as { statusCode: number; body: string };
    res.writeHead(result.statusCode, { 'content-type': 'application/json' }).end(result.body);
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}

it('reads the region a function URL is signed for from its host name', () => {
  expect(functionUrlRegion(new URL('https://abc123.lambda-url.eu-west-1.on.aws/'))).toBe('eu-west-1');
  expect(functionUrlRegion(new URL('https://example.com/'))).toBeUndefined();
});

describeAws('proofline export --url (deployed export function)', () => {
  const today = new Date().toISOString().slice(0, 10);
  let standIn: { server: Server; url: string };
  let spec: string;
  let dir: string;

  beforeAll(async () => {
    const { bucket, table } = await createAwsStoreResources('remote');
    spec = `s3://${bucket}?table=${table}&key=${await createKmsSigningKey()}`;
    vi.stubEnv('PROOFLINE_STORE', spec);
    vi.stubEnv('EVIDENCE_BUCKET', bucket);
    // Archives go to the exports bucket (no Object Lock), never under the evidence's lock.
    const exportsBucket = `${bucket}-exports`;
    await new S3Client(awsConfig()).send(new CreateBucketCommand({ Bucket: exportsBucket }));
    vi.stubEnv('EXPORTS_BUCKET', exportsBucket);
    await collect({ collectorId: 'aws.cloudtrail.trails', scope: { source: 'aws', id: '123456789012' } });
    standIn = await functionUrlStandIn({ accessKeyId: 'testing', secretAccessKey: 'testing' });
    dir = await tempStore();
  });
  afterAll(async () => {
    standIn.server.close();
    vi.unstubAllEnvs();
    await closeEvidenceStore();
  });

  const exportVia = (out: string, extra: readonly string[] = [], to = today) =>
    runCli([
      'export',
      '--url',
      standIn.url,
      '--framework',
      'soc2',
      '--from',
      today,
      '--to',
      to,
      '--out',
      join(dir, out),
      ...extra,
    ]);

  it('has the function build the archive, downloads it and verifies it against the publisher’s fingerprint', async () => {
    const fingerprint = publicKeyFingerprint(await (await openSigner(spec)).publicKeyPem());
    const run = await exportVia('remote.zip', ['--fingerprint', fingerprint]);
    expect(run.code, run.err).toBe(0);
    expect(run.err).toMatch(/^Built exports\/soc2\/.*\.zip \(.*\); downloaded to .*remote\.zip$/);
    expect(run.out).toContain('(the trusted key)');
    expect(run.out).toContain(`OK: ${join(dir, 'remote.zip')}`);
  });

  it('fails verification (exit 4) when the archive is not signed with the fingerprint given', async () => {
    const run = await exportVia('other.zip', ['--fingerprint', 'ab'.repeat(32)]);
    expect(run.code).toBe(4);
    expect(run.out).toMatch(/FAILED/);
  });

  it('says what the function answered when the signature is refused or the request is bad', async () => {
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'not-the-key');
    const refused = await exportVia('refused.zip');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'testing');
    expect(refused.code).toBe(1);
    expect(refused.err).toBe('proofline: the export function answered 403: Forbidden');
    const bad = await exportVia('bad.zip', [], '2000-01-01');
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/answered 400: .*is before/);
  });
});
