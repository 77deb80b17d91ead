import { mkdtemp } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { EXIT } from '../../core/errors.ts';
import { seedDemoAccount } from '../../demo/seed-aws.ts';
import { describeAws } from '../support/aws.ts';
import { runCli } from '../support/cli.ts';

const run = (...args: string[]) => runCli(args);

/** IAM answering every call with AccessDenied, as a role without iam:GenerateCredentialReport would see it. */
async function accessDeniedIam(): Promise<Server> {
  const server = createServer((_, res) => {
    res.writeHead(403, { 'content-type': 'text/xml' });
    res.end(
      '<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>AccessDenied</Code>' +
        '<Message>User: arn:aws:sts::123456789012:assumed-role/auditor/x is not authorized to perform: iam:GenerateCredentialReport</Message>' +
        '</Error><RequestId>4d1b2e5a</RequestId></ErrorResponse>',
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

describeAws('proofline CLI against an emulated account', () => {
  let store: string;
  beforeAll(async () => {
    await seedDemoAccount();
    store = await mkdtemp(join(tmpdir(), 'proofline-cli-'));
  });

  it('collects, evaluates and shows the seeded misconfigurations as failing controls', async () => {
    const collected = await run('--store', store, 'collect', '--region', 'us-east-1');
    // The emulator does not answer Systems Manager's inventory, Macie or Access Analyzer: those collections are
    // recorded as gaps, and the exit code says some collection failed.
    expect(collected.code, collected.err).toBe(EXIT.collectionErrors);
    expect([...new Set(collected.out.match(/(?<=collection failed: )\S+/g))].sort()).toEqual([
      'aws.accessanalyzer',
      'aws.macie',
      'aws.ssm.managed-instances',
    ]);
    expect(collected.out).toMatch(/^IAM-02 +FAIL\b/m);

    const status = await run('--store', store, 'status', '--json');
    const rows = JSON.parse(status.out) as { control: string; status: string; failingResources: string[] }[];
    const byId = Object.fromEntries(rows.map((r) => [r.control, r]));
    expect(byId['IAM-02']).toMatchObject({
      status: 'failing',
      failingResources: ['arn:aws:iam::123456789012:user/bob'],
    });
    expect(byId['IAM-05']?.status).toBe('failing');
    expect(byId['DATA-02']?.failingResources).toEqual(['arn:aws:s3:::acme-legacy-public-assets']);
    expect(byId['LOG-02']?.failingResources).toEqual([
      'arn:aws:cloudtrail:us-east-1:123456789012:trail/legacy-app-trail',
    ]);
    expect(byId['CFG-01']?.status).toBe('passing');
    expect(byId['IAM-03']?.status).toBe('passing');
  });

  it('prints the alerts of the recorded transitions, and the daily digest of what still needs attention', async () => {
    // a terminal wide enough that no alert line wraps
    const wide = { width: 1000, color: false };
    const alerts = await runCli(['--store', store, 'alerts'], wide);
    expect(alerts.out).toContain(
      '[FAILING] IAM-02 Console users sign in with MFA - 1 resource (123456789012)',
    );
    expect(alerts.out).not.toContain('CFG-01');
    expect(alerts.out).toMatch(/^\d+ alerts in \d+ messages, one per owner/m);
    const messages = await runCli(['--store', store, 'alerts', '--messages'], wide);
    expect(messages.out).toMatch(/^\[PROOFLINE\] cloud-security: \d+ failing \(.*\d+ high/m);
    expect(messages.out).toMatch(
      /^ {2}HIGH arn:aws:iam::123456789012:user\/bob: .*\[aws\.iam\.console-users-mfa; IAM-02\]$/m,
    );
    const digest = await runCli(['--store', store, 'alerts', '--digest'], wide);
    expect(digest.out).toMatch(/^\[DIGEST\] \d+ controls need attention/);
    expect(digest.out).toMatch(
      /^HIGH IAM-02 Console users sign in with MFA: failing for 0 days, due \d{4}-\d\d-\d\d, 1 resources \(owner cloud-security\)$/m,
    );
  });

  it('lists the evidence and shows one artifact after checking its hash', async () => {
    const list = await run('--store', store, 'evidence', 'list', '--collector', 'aws.kms.keys', '--json');
    expect(list.code).toBe(EXIT.ok);
    const key = (JSON.parse(list.out) as { key: string }[]).pop()?.key ?? '';
    expect(key).toMatch(/^evidence\/source=aws\/collector=aws\.kms\.keys\/scope=123456789012-us-east-1\//);
    const shown = await run('--store', store, 'evidence', 'show', key);
    expect(JSON.parse(shown.out)).toMatchObject({
      collector: 'aws.kms.keys',
      status: 'ok',
      scope: { region: 'us-east-1' },
    });
    expect((await run('--store', store, 'evidence', 'show', 'evidence/nope')).err).toContain(
      'no artifact with key evidence/nope',
    );
  });

  it('records AccessDenied as an error artifact, goes on with the other collectors and exits 3', async () => {
    const iam = await accessDeniedIam();
    const { port } = iam.address() as { port: number };
    process.env.AWS_ENDPOINT_URL_IAM = `http://127.0.0.1:${port}`;
    try {
      const result = await run('--store', store, 'collect', '--region', 'us-east-1');
      expect(result.code).toBe(EXIT.collectionErrors);
      expect(result.out).toMatch(
        /collection failed: aws\.iam\.credential-report 123456789012-global → evidence\//,
      );
      expect(result.out).toMatch(/^CFG-01 +PASS\b/m);
      const status = JSON.parse((await run('--store', store, 'status', '--json')).out) as {
        control: string;
        status: string;
        gaps: string[];
      }[];
      const iam02 = status.find((r) => r.control === 'IAM-02');
      expect(iam02?.status).toBe('no_evidence');
      expect(iam02?.gaps[0]).toMatch(/aws\.iam\.credential-report 123456789012-global: collection failed/);
      const failedKey = /→ (evidence\/\S+)/.exec(result.out)?.[1] ?? '';
      const artifact = JSON.parse((await run('--store', store, 'evidence', 'show', failedKey)).out);
      expect(artifact).toMatchObject({ status: 'error', error: { code: 'AccessDenied', httpStatus: 403 } });
    } finally {
      delete process.env.AWS_ENDPOINT_URL_IAM;
      iam.close();
    }
  });

  it('says so when there are no AWS credentials', async () => {
    const saved = { ...process.env };
    try {
      delete process.env.AWS_ACCESS_KEY_ID;
      delete process.env.AWS_SECRET_ACCESS_KEY;
      process.env.AWS_CONFIG_FILE = '/nonexistent/config';
      process.env.AWS_SHARED_CREDENTIALS_FILE = '/nonexistent/credentials';
      const result = await run('--store', store, 'collect', '--profile', 'nobody');
      expect(result.code).toBe(EXIT.error);
      expect(result.err).toMatch(/^proofline: No AWS credentials found/);
    } finally {
      process.env = saved;
    }
  });
});

it('rejects bad arguments with a message naming them', async () => {
  expect((await run('evidence', 'list', '--from', 'yesterday-ish')).err).toContain(
    '"yesterday-ish" is not a date',
  );
  expect((await run('collect', '--collector', 'aws.nope')).err).toContain('unknown collector aws.nope');
  const bad = await run('--config', '/nonexistent.yaml', 'status');
  expect(bad.code).toBe(EXIT.error);
  expect(bad.err).toContain('cannot read config file /nonexistent.yaml');
});

it('prints the IAM policy of the collectors named, and refuses an unknown one', async () => {
  const printed = await run('permissions', '--collector', 'aws.s3.buckets');
  expect(printed.code, printed.err).toBe(EXIT.ok);
  const actions: string[] = JSON.parse(printed.out).Statement[0].Action;
  expect(actions).toContain('s3:GetBucketPolicy');
  expect(actions.every((a) => a.startsWith('s3:'))).toBe(true);
  const unknown = await run('permissions', '--collector', 'aws.nope');
  expect(unknown.code).toBe(EXIT.usage);
  expect(unknown.err).toContain('unknown collector aws.nope');
});
