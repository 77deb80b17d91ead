import {
  CloseAccountCommand,
  CreateAccountCommand,
  CreateOrganizationCommand,
  DescribeCreateAccountStatusCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { collectors } from '../../collectors/index.ts';
import { handler } from '../../functions/plan.ts';
import { awsConfig, describeAws } from '../support/aws.ts';
import { capturePrinted, emfRecords, lambdaContext } from './support.ts';

vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
});

const run = { group: 'daily', collectors: ['aws.iam.credential-report', 'aws.kms.keys'] };

const printed = capturePrinted();

describe('plan handler', () => {
  beforeEach(() => {
    vi.stubEnv('ORGANIZATION_ENABLED', 'false');
    vi.stubEnv('ACCOUNTS', '111111111111, 123456789012');
    vi.stubEnv('REGIONS', 'eu-west-1,us-east-1');
    vi.stubEnv('MEMBER_ROLE_NAME', 'ProoflineMember');
  });
  afterEach(() => vi.unstubAllEnvs());

  it('plans the configured accounts: the home account with its own role, the others through the member role', async () => {
    const plan = await handler(run, lambdaContext('123456789012'));
    expect(plan.accounts).toEqual([
      { id: '111111111111', roleArn: 'arn:aws:iam::111111111111:role/ProoflineMember' },
      { id: '123456789012' },
    ]);
    expect(plan.regions).toEqual(['eu-west-1', 'us-east-1']);
    expect(plan.collectors).toEqual([
      { id: 'aws.iam.credential-report', regional: false },
      { id: 'aws.kms.keys', regional: true },
    ]);
    expect(plan.targetCount).toBe(2 * (1 + 2));
  });

  it('hands the collectors of other sources to their functions, once per configured scope, beside the accounts', async () => {
    vi.stubEnv(
      'SOURCE_SCOPES',
      JSON.stringify({
        github: [
          { source: 'github', id: 'acme' },
          { source: 'github', id: 'acme-labs' },
        ],
        google: [{ source: 'google', id: 'acme.example' }],
      }),
    );
    const plan = await handler(
      { group: 'daily', collectors: ['aws.kms.keys', 'github.repos', 'google.users'] },
      lambdaContext('123456789012'),
    );
    expect(plan.collectors).toEqual([{ id: 'aws.kms.keys', regional: true }]);
    expect(plan.sources).toEqual([
      { source: 'github', collectorId: 'github.repos', scope: { source: 'github', id: 'acme' } },
      { source: 'github', collectorId: 'github.repos', scope: { source: 'github', id: 'acme-labs' } },
      { source: 'google', collectorId: 'google.users', scope: { source: 'google', id: 'acme.example' } },
    ]);
    expect(plan.targetCount).toBe(2 * 2);
  });

  it('refuses a source collector the deployment names no scope for', async () => {
    vi.stubEnv('SOURCE_SCOPES', JSON.stringify({ github: [{ source: 'github', id: 'acme' }] }));
    await expect(handler({ group: 'g', collectors: ['entra.users'] }, lambdaContext())).rejects.toThrow(
      'entra.users: the deployment names no entra scope',
    );
  });

  it('a group of other sources only reads no account (not even the organization)', async () => {
    vi.stubEnv('ORGANIZATION_ENABLED', 'true'); // would call Organizations: it must not
    const tenant = { source: 'entra', id: 'acme.example' };
    vi.stubEnv('SOURCE_SCOPES', JSON.stringify({ entra: [tenant] }));
    const plan = await handler({ group: 'idp', collectors: ['entra.users'] }, lambdaContext());
    expect(plan.accounts).toEqual([]);
    expect(plan.targetCount).toBe(0);
    expect(plan.sources).toEqual([{ source: 'entra', collectorId: 'entra.users', scope: tenant }]);
  });

  it('with no account configured, plans only the account it runs in', async () => {
    vi.stubEnv('ACCOUNTS', '');
    const plan = await handler(run, lambdaContext('444455556666'));
    expect(plan.accounts).toEqual([{ id: '444455556666' }]);
  });

  it('emits RunsStarted with the group dimension the missed-schedule alarm watches', async () => {
    await handler(run, lambdaContext());
    const started = emfRecords(printed()).find((r) =>
      r._aws.CloudWatchMetrics[0]?.Metrics.some((m) => m.Name === 'RunsStarted'),
    );
    expect(started).toMatchObject({ service: 'proofline', group: 'daily', RunsStarted: 1 });
    expect(started?._aws.CloudWatchMetrics[0]).toMatchObject({
      Namespace: 'Proofline',
      Dimensions: [expect.arrayContaining(['service', 'group'])],
    });
  });

  it('refuses an unknown collector or a malformed run', async () => {
    await expect(handler({ group: 'g', collectors: ['aws.nope'] }, lambdaContext())).rejects.toThrow(
      'unknown collector aws.nope',
    );
    await expect(handler({ group: 'g' }, lambdaContext())).rejects.toThrow(/bad run input: collectors/);
    expect(collectors.length).toBeGreaterThan(0);
  });
});

describeAws('plan handler with the organization (moto)', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('plans every ACTIVE account of the organization', async () => {
    const org = new OrganizationsClient(awsConfig());
    await org.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
    const created: string[] = [];
    for (const name of ['audit', 'workload', 'closed']) {
      const { CreateAccountStatus } = await org.send(
        new CreateAccountCommand({ AccountName: name, Email: `${name}@example.com` }),
      );
      const status = await org.send(
        new DescribeCreateAccountStatusCommand({ CreateAccountRequestId: CreateAccountStatus!.Id! }),
      );
      created.push(status.CreateAccountStatus!.AccountId!);
    }
    await org.send(new CloseAccountCommand({ AccountId: created[2]! }));
    vi.stubEnv('ORGANIZATION_ENABLED', 'true');
    vi.stubEnv('REGIONS', 'eu-west-1');

    const plan = await handler(run, lambdaContext('123456789012'));
    const ids = plan.accounts.map((a) => a.id);
    expect(ids).toContain(created[0]);
    expect(ids).toContain(created[1]);
    expect(ids).not.toContain(created[2]);
    expect(plan.accounts.find((a) => a.id === created[0])?.roleArn).toBe(
      `arn:aws:iam::${created[0]}:role/ProoflineMember`,
    );
  });
});
