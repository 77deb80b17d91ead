import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BackupClient, CreateBackupPlanCommand, CreateBackupVaultCommand } from '@aws-sdk/client-backup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  planExists,
  planRetention,
  recentRecoveryPoints,
  restoreTesting,
  tagSelection,
  vaultCustomerKey,
  vaultLock,
} from '../../../collectors/aws/backup/checks.ts';
import { backup as backupDefinition } from '../../../collectors/aws/backup/index.ts';
import type {
  BackupPlanSnapshot,
  BackupSnapshot,
  BackupVaultSnapshot,
} from '../../../collectors/aws/backup/snapshot.ts';
import { AwsSession } from '../../../collectors/aws/session.ts';
import { awsConfig, describeAws } from '../../support/aws.ts';
import { awsContext, collectCounting, daysBefore, undeclared, verdicts } from '../../support/checks.ts';
import { runnable } from '../../support/runnable.ts';

const backup = runnable(backupDefinition);

const context = awsContext();
const DAILY = 'cron(0 5 ? * * *)';
const plan = (name: string, over: Partial<BackupPlanSnapshot> = {}): BackupPlanSnapshot => ({
  id: name,
  arn: name,
  name,
  rules: [{ name: 'daily', vault: 'main', schedule: DAILY, deleteAfterDays: 35 }],
  selections: [{ name: 'tagged', resources: [], tags: [{ key: 'backup', value: 'true' }] }],
  ...over,
});
const vault = (name: string, over: Partial<BackupVaultSnapshot> = {}): BackupVaultSnapshot => ({
  name,
  arn: name,
  keyArn: 'arn:aws:kms:us-east-1:111122223333:key/cmk',
  keyManager: 'CUSTOMER',
  locked: true,
  minRetentionDays: 7,
  ...over,
});
const snapshot = (over: Partial<BackupSnapshot> = {}): BackupSnapshot => ({
  plans: [plan('daily')],
  vaults: [vault('main')],
  protectedResources: [],
  restoreTestingPlans: [],
  ...over,
});
const unreadable = { unknown: 'InternalFailure (HTTP 500): not implemented' };

describe('aws.backup checks', () => {
  it('plan exists: a plan with a scheduled rule passes; no plan, or none scheduled, fails', () => {
    expect(verdicts(planExists, snapshot(), context)).toEqual({ daily: 'pass' });
    expect(verdicts(planExists, snapshot({ plans: [] }), context)).toEqual({ '111122223333': 'fail' });
    const manual = plan('manual', {
      rules: [{ name: 'on-demand', vault: 'main', schedule: null, deleteAfterDays: null }],
    });
    expect(verdicts(planExists, snapshot({ plans: [manual] }), context)).toEqual({ manual: 'fail' });
  });

  it('tag selection: passes when a scheduled plan selects the configured tag; unreadable selections fail', () => {
    expect(verdicts(tagSelection, snapshot(), context)).toEqual({ '111122223333': 'pass' });
    expect(
      verdicts(tagSelection, snapshot(), awsContext({ backupSelector: { key: 'backup', value: 'daily' } })),
    ).toEqual({
      '111122223333': 'fail',
    });
    const [finding] = tagSelection.evaluate(
      snapshot({ plans: [plan('p', { selections: unreadable })] }),
      context,
    );
    expect(finding).toMatchObject({
      status: 'fail',
      reason: expect.stringMatching(/selections unreadable for p/),
    });
  });

  it('plan retention: every rule keeps at least the minimum, or never expires', () => {
    const short = plan('short', {
      rules: [{ name: 'hourly', vault: 'main', schedule: 'cron(0 * * * ? *)', deleteAfterDays: 2 }],
    });
    const forever = plan('forever', {
      rules: [{ name: 'd', vault: 'main', schedule: DAILY, deleteAfterDays: null }],
    });
    expect(verdicts(planRetention, snapshot({ plans: [plan('ok'), short, forever] }), context)).toEqual({
      ok: 'pass',
      short: 'fail',
      forever: 'pass',
    });
    expect(
      verdicts(planRetention, snapshot({ plans: [plan('ok')] }), awsContext({ backupRetentionDays: 90 })),
    ).toEqual({ ok: 'fail' });
  });

  it('recent recovery points: within the longest plan interval plus a day; unknown list fails', () => {
    const protectedResources = [
      { arn: 'fresh', type: 'RDS', lastBackupTime: daysBefore(context, 1) },
      { arn: 'stale', type: 'DynamoDB', lastBackupTime: daysBefore(context, 3) },
    ];
    expect(verdicts(recentRecoveryPoints, snapshot({ protectedResources }), context)).toEqual({
      fresh: 'pass',
      stale: 'fail',
    });
    const weekly = plan('weekly', {
      rules: [{ name: 'w', vault: 'main', schedule: 'cron(0 5 ? * SUN *)', deleteAfterDays: 35 }],
    });
    expect(
      verdicts(recentRecoveryPoints, snapshot({ plans: [weekly], protectedResources }), context).stale,
    ).toBe('pass');
    expect(verdicts(recentRecoveryPoints, snapshot({ plans: [], protectedResources }), context).fresh).toBe(
      'fail',
    );
    expect(
      recentRecoveryPoints.evaluate(snapshot({ protectedResources: unreadable }), context),
    ).toMatchObject([
      {
        status: 'fail',
        reason: expect.stringMatching(/protected resources could not be read: InternalFailure/),
      },
    ]);
  });

  it('vault key and Vault Lock are judged only when configured', () => {
    const s = snapshot({ vaults: [vault('good'), vault('bad', { keyManager: 'AWS', locked: false })] });
    expect(verdicts(vaultCustomerKey, s, context)).toEqual({ '111122223333': 'not_applicable' });
    expect(verdicts(vaultLock, s, context)).toEqual({ '111122223333': 'not_applicable' });
    const strict = awsContext({ customerManagedKeys: true, vaultLock: true });
    expect(verdicts(vaultCustomerKey, s, strict)).toEqual({ good: 'pass', bad: 'fail' });
    expect(verdicts(vaultLock, s, strict)).toEqual({ good: 'pass', bad: 'fail' });
  });

  it('restore testing: a plan that ran within its schedule passes; none, never run, or overdue fails', () => {
    const testing = (name: string, lastExecutionTime: string | null, schedule = 'cron(0 1 ? * SAT *)') => ({
      name,
      arn: name,
      schedule,
      lastExecutionTime,
    });
    const s = snapshot({
      restoreTestingPlans: [
        testing('weekly', daysBefore(context, 6)),
        testing('never', null),
        testing('overdue', daysBefore(context, 30)),
      ],
    });
    expect(verdicts(restoreTesting, s, context)).toEqual({ weekly: 'pass', never: 'fail', overdue: 'fail' });
    expect(verdicts(restoreTesting, snapshot(), context)).toEqual({ '111122223333': 'fail' });
    expect(verdicts(restoreTesting, snapshot({ restoreTestingPlans: unreadable }), context)).toEqual({
      '111122223333': 'fail',
    });
  });
});

/** A stand-in of the AWS Backup REST API answering with the response shapes of the API reference. */
function backupStandIn(now: number): Promise<Server> {
  const seconds = (daysAgo: number) => (now - daysAgo * 86_400_000) / 1000;
  const routes: [RegExp, unknown][] = [
    [
      /^\/backup\/plans\/?$/,
      {
        BackupPlansList: [
          {
            BackupPlanArn: 'arn:aws:backup:us-east-1:111122223333:backup-plan:p1',
            BackupPlanId: 'p1',
            BackupPlanName: 'daily',
            CreationDate: seconds(90),
            VersionId: 'v1',
          },
        ],
      },
    ],
    [
      /^\/backup\/plans\/p1\/selections\/?$/,
      {
        BackupSelectionsList: [
          {
            BackupPlanId: 'p1',
            SelectionId: 's1',
            SelectionName: 'tagged',
            IamRoleArn: 'arn:aws:iam::111122223333:role/backup',
            CreationDate: seconds(90),
          },
        ],
      },
    ],
    [
      /^\/backup\/plans\/p1\/selections\/s1\/?$/,
      {
        BackupPlanId: 'p1',
        SelectionId: 's1',
        BackupSelection: {
          SelectionName: 'tagged',
          IamRoleArn: 'arn:aws:iam::111122223333:role/backup',
          Resources: ['*'],
          ListOfTags: [],
          Conditions: { StringEquals: [{ ConditionKey: 'aws:ResourceTag/backup', ConditionValue: 'true' }] },
        },
      },
    ],
    [
      /^\/backup\/plans\/p1\/?$/,
      {
        BackupPlanArn: 'arn:aws:backup:us-east-1:111122223333:backup-plan:p1',
        BackupPlanId: 'p1',
        VersionId: 'v1',
        BackupPlan: {
          BackupPlanName: 'daily',
          Rules: [
            {
              RuleName: 'daily',
              RuleId: 'r1',
              TargetBackupVaultName: 'main',
              ScheduleExpression: DAILY,
              Lifecycle: { DeleteAfterDays: 35 },
            },
          ],
        },
      },
    ],
    [
      /^\/backup-vaults\/?$/,
      {
        BackupVaultList: [
          {
            BackupVaultName: 'main',
            BackupVaultArn: 'arn:aws:backup:us-east-1:111122223333:backup-vault:main',
            CreationDate: seconds(90),
            Locked: true,
            MinRetentionDays: 7,
            NumberOfRecoveryPoints: 3,
          },
        ],
      },
    ],
    [
      /^\/resources\/?$/,
      {
        Results: [
          {
            ResourceArn: 'arn:aws:dynamodb:us-east-1:111122223333:table/orders',
            ResourceType: 'DynamoDB',
            ResourceName: 'orders',
            LastBackupTime: seconds(0.5),
            LastBackupVaultArn: 'arn:aws:backup:us-east-1:111122223333:backup-vault:main',
          },
        ],
      },
    ],
    [
      /^\/restore-testing\/plans\/?$/,
      {
        RestoreTestingPlans: [
          {
            RestoreTestingPlanName: 'weekly_restore',
            RestoreTestingPlanArn:
              'arn:aws:backup:us-east-1:111122223333:restore-testing-plan:weekly_restore',
            ScheduleExpression: 'cron(0 1 ? * SAT *)',
            ScheduleExpressionTimezone: 'UTC',
            CreationTime: seconds(90),
            LastExecutionTime: seconds(2),
          },
        ],
      },
    ],
  ];
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const body = routes.find(([re]) => re.test(path))?.[1];
    res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body ?? { message: `no route ${path}` }));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describeAws('aws.backup collect', () => {
  it('against moto: plans and vaults are read; selections, protected resources and restore testing plans become recorded unknowns (moto answers 500/404)', async () => {
    const client = new BackupClient(awsConfig());
    await client.send(new CreateBackupVaultCommand({ BackupVaultName: 'main' }));
    await client.send(
      new CreateBackupPlanCommand({
        BackupPlan: {
          BackupPlanName: 'daily',
          Rules: [
            {
              RuleName: 'daily',
              TargetBackupVaultName: 'main',
              ScheduleExpression: DAILY,
              Lifecycle: { DeleteAfterDays: 3 },
            },
          ],
        },
      }),
    );
    const { snapshot: s, calls } = await collectCounting(backup);
    expect(s.plans).toMatchObject([
      {
        name: 'daily',
        rules: [{ name: 'daily', schedule: DAILY, deleteAfterDays: 3 }],
        selections: { unknown: expect.any(String) },
      },
    ]);
    expect(s.vaults).toMatchObject([{ name: 'main' }]);
    expect(s.protectedResources).toMatchObject({ unknown: expect.any(String) });
    expect(s.restoreTestingPlans).toMatchObject({ unknown: expect.any(String) });
    const ctx = awsContext({}, new Date());
    expect(Object.values(verdicts(tagSelection, s, ctx))).toEqual(['fail']);
    expect(Object.values(verdicts(planRetention, s, ctx))).toEqual(['fail']);
    expect(undeclared(calls, backup)).toEqual([]);
  }, 60_000);

  describe('on the documented response shapes (moto does not implement ListBackupSelections, ListProtectedResources, ListRestoreTestingPlans)', () => {
    let server: Server;
    const saved = process.env.AWS_ENDPOINT_URL_BACKUP;
    const now = Date.now();
    beforeAll(async () => {
      server = await backupStandIn(now);
      process.env.AWS_ENDPOINT_URL_BACKUP = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => {
      if (saved === undefined) delete process.env.AWS_ENDPOINT_URL_BACKUP;
      else process.env.AWS_ENDPOINT_URL_BACKUP = saved;
      server.close();
    });

    it('parses plans, tag selections, vault lock, protected resources and restore testing plans', async () => {
      const session = new AwsSession();
      const s = await backup.collect(session, { source: 'aws', id: '111122223333', region: 'us-east-1' });
      expect(s.plans).toEqual([
        {
          id: 'p1',
          arn: 'arn:aws:backup:us-east-1:111122223333:backup-plan:p1',
          name: 'daily',
          rules: [{ name: 'daily', vault: 'main', schedule: DAILY, deleteAfterDays: 35 }],
          selections: [{ name: 'tagged', resources: ['*'], tags: [{ key: 'backup', value: 'true' }] }],
        },
      ]);
      expect(s.vaults).toMatchObject([{ name: 'main', locked: true, minRetentionDays: 7, keyArn: null }]);
      expect(s.protectedResources).toMatchObject([
        { arn: 'arn:aws:dynamodb:us-east-1:111122223333:table/orders', type: 'DynamoDB' },
      ]);
      expect(s.restoreTestingPlans).toMatchObject([
        { name: 'weekly_restore', schedule: 'cron(0 1 ? * SAT *)' },
      ]);
      const ctx = awsContext({ vaultLock: true }, new Date(now));
      for (const check of [
        planExists,
        tagSelection,
        planRetention,
        recentRecoveryPoints,
        vaultLock,
        restoreTesting,
      ]) {
        expect([check.id, Object.values(verdicts(check, s, ctx))]).toEqual([check.id, ['pass']]);
      }
    });
  });
});
