import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type AwsSecurityFinding,
  BatchImportFindingsCommand,
  EnableSecurityHubCommand,
  GetFindingsCommand,
  SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import { expect, it } from 'vitest';
import { asffId } from '../../../core/findings-export/asff.ts';
import { awsConfig, describeAws } from '../../support/aws.ts';
import { runCli, storeWithPublicBucket } from '../../support/cli.ts';

const ACCOUNT = '123456789012';

/** `proofline findings --format asff` on the evaluated public-bucket store. */
async function asff(...args: string[]): Promise<AwsSecurityFinding[]> {
  const store = await storeWithPublicBucket();
  expect((await runCli(['--store', store, 'evaluate'])).code).toBe(0);
  const out = join(await mkdtemp(join(tmpdir(), 'proofline-asff-')), 'findings.json');
  const run = await runCli([
    ...['--store', store, 'findings', '--format', 'asff', '--out', out],
    ...['--aws-account', ACCOUNT, '--region', 'us-east-1', ...args],
  ]);
  expect(run.code).toBe(0);
  return JSON.parse(await readFile(out, 'utf8')) as AwsSecurityFinding[];
}

/** The attributes the ASFF reference lists as required for BatchImportFindings. */
const REQUIRED = [
  'AwsAccountId',
  'CreatedAt',
  'Description',
  'GeneratorId',
  'Id',
  'ProductArn',
  'Resources',
  'SchemaVersion',
  'Severity',
  'Title',
  'Types',
  'UpdatedAt',
] as const;

describeAws('proofline findings --format asff', () => {
  it('has every attribute the ASFF reference requires, within its limits, and the verdict as Compliance.Status', async () => {
    const findings = await asff();
    for (const f of findings) {
      for (const field of REQUIRED) expect(f[field], `${f.Id} ${field}`).toBeTruthy();
      expect(f.AwsAccountId).toBe(ACCOUNT);
      expect(f.ProductArn).toBe(`arn:aws:securityhub:us-east-1:${ACCOUNT}:product/${ACCOUNT}/default`);
      expect(f.Title!.length).toBeLessThanOrEqual(256);
      expect(f.Description!.length).toBeLessThanOrEqual(1024);
      expect(f.Compliance!.RelatedRequirements!.length).toBeLessThanOrEqual(32);
      expect(Object.keys(f.ProductFields ?? {}).length).toBeLessThanOrEqual(50);
      expect(Date.parse(f.UpdatedAt!)).toBeGreaterThanOrEqual(Date.parse(f.CreatedAt!));
    }
    const pab = (resource: string) =>
      findings.find(
        (f) => f.GeneratorId === 'aws.s3.public-access-block' && f.Resources![0]!.Id === resource,
      )!;
    expect(pab('arn:aws:s3:::public-site')).toMatchObject({
      Compliance: { Status: 'FAILED' },
      RecordState: 'ACTIVE',
      Workflow: { Status: 'NEW' },
      Remediation: { Recommendation: { Text: expect.any(String) } },
      ProductFields: { 'proofline/evidence': expect.stringMatching(/^evidence\/source=aws\//) },
    });
    expect(pab('arn:aws:s3:::private')).toMatchObject({
      Compliance: { Status: 'PASSED' },
      RecordState: 'ARCHIVED',
      Severity: { Label: 'INFORMATIONAL' },
    });
  });

  it('imports into Security Hub with BatchImportFindings (100 a call), under the id the alert channel uses', async () => {
    const findings = await asff('--failing');
    const hub = new SecurityHubClient(awsConfig());
    await hub.send(new EnableSecurityHubCommand({})).catch(() => {});
    for (let i = 0; i < findings.length; i += 100) {
      const result = await hub.send(new BatchImportFindingsCommand({ Findings: findings.slice(i, i + 100) }));
      expect(result.FailedCount).toBe(0);
    }
    const stored = await hub.send(new GetFindingsCommand({ MaxResults: 100 }));
    const ids = stored.Findings!.map((f) => f.Id);
    expect(ids).toContain(asffId('DATA-02', 'aws.s3.public-access-block', 'arn:aws:s3:::public-site'));
    expect(stored.Findings!.length).toBe(findings.length);
  });
});
