import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { collectors } from '../../collectors/index.ts';
import { checkSettingsSchema } from '../../core/check-settings.ts';
import { alertsSchema, ismsSchema } from '../../core/config.ts';
import { logicalIdOf } from '../../infra/logical-ids.ts';
import { scheduleOverrides } from '../../infra/proofline.ts';
import {
  actionsOf,
  type Cfn,
  exampleConfig,
  identityStatements,
  resource,
  type Synthesized,
  synth,
  withDeploy,
} from './support.ts';

let example: Synthesized;
beforeAll(async () => {
  example = await synth(exampleConfig());
});

const exportsBucket = (s: Synthesized = example) =>
  resource(s.mainTemplate, 'AWS::S3::Bucket', 'ProoflineExportsBucket');
const fn = (name: string, s: Synthesized = example) =>
  resource(s.mainTemplate, 'AWS::Lambda::Function', `Proofline${name}Function`).Properties;

describe('exports bucket (archives and reports: unlocked, expiring)', () => {
  it('has no Object Lock, is versioned and expires every object after the configured days', async () => {
    const bucket = exportsBucket().Properties;
    expect(bucket.ObjectLockEnabled).toBeUndefined();
    expect(bucket.ObjectLockConfiguration).toBeUndefined();
    expect(bucket.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(bucket.LifecycleConfiguration.Rules).toEqual([
      {
        Id: 'expire-exports',
        ExpirationInDays: 30,
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
        Status: 'Enabled',
      },
      {
        Id: 'remove-expired-versions',
        NoncurrentVersionExpiration: { NoncurrentDays: 1 },
        ExpiredObjectDeleteMarker: true,
        Status: 'Enabled',
      },
    ]);
    const week = await synth(withDeploy({ exports: { expireDays: 7 } }));
    expect(exportsBucket(week).Properties.LifecycleConfiguration.Rules[0].ExpirationInDays).toBe(7);
  });

  it('is encrypted with the data key, blocks public access and logs access to the log bucket', () => {
    const bucket = exportsBucket().Properties;
    const dataKey = resource(example.mainTemplate, 'AWS::KMS::Key', 'ProoflineDataKey');
    expect(bucket.BucketEncryption.ServerSideEncryptionConfiguration).toEqual([
      {
        BucketKeyEnabled: true,
        ServerSideEncryptionByDefault: {
          SSEAlgorithm: 'aws:kms',
          KMSMasterKeyID: { 'Fn::GetAtt': [dataKey.id, 'Arn'] },
        },
      },
    ]);
    expect(Object.values(bucket.PublicAccessBlockConfiguration)).toEqual([true, true, true, true]);
    const logs = resource(example.mainTemplate, 'AWS::S3::Bucket', 'ProoflineAccessLogBucket');
    expect(bucket.LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: logs.id },
      LogFilePrefix: 'exports-bucket/',
    });
  });

  it('refuses every request that is not TLS', () => {
    const { id } = exportsBucket();
    const policy = Object.values(example.mainTemplate.findResources('AWS::S3::BucketPolicy')).find(
      (p: Cfn) => p.Properties.Bucket.Ref === id,
    ) as Cfn;
    expect(policy.Properties.PolicyDocument.Statement).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Action: 's3:*',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    );
  });

  it('the export function writes archives there (exports/), the summary function reports (reports/): nothing else writes it', () => {
    const { id } = exportsBucket();
    const writes = identityStatements(example.mainTemplate).filter(
      (s) => actionsOf(s).includes('s3:PutObject') && JSON.stringify(s.Resource).includes(id),
    );
    expect(
      writes.map((s) => [s.owner.replace(/[0-9A-F]{8}$/, ''), s.Sid, JSON.stringify(s.Resource)]),
    ).toEqual([
      ['ProoflineSummaryRoleDefaultPolicy', 'WriteReports', expect.stringMatching(/"\/reports\/\*"\]\]\}$/)],
      ['ProoflineExportRoleDefaultPolicy', 'WriteExports', expect.stringMatching(/"\/exports\/\*"\]\]\}$/)],
    ]);
    expect(fn('Export').Environment.Variables.EXPORTS_BUCKET).toEqual({ Ref: id });
    expect(fn('Summary').Environment.Variables.EXPORTS_BUCKET).toEqual({ Ref: id });
  });
});

describe('export bounds', () => {
  it('the export function has the configured reserved concurrency and archives per hour', async () => {
    expect(fn('Export').ReservedConcurrentExecutions).toBe(2);
    expect(fn('Export').Environment.Variables.EXPORTS_PER_HOUR).toBe('20');
    const bounded = await synth(withDeploy({ exports: { concurrency: 1, perHour: 3 } }));
    expect(fn('Export', bounded).ReservedConcurrentExecutions).toBe(1);
    expect(fn('Export', bounded).Environment.Variables.EXPORTS_PER_HOUR).toBe('3');
  });

  it('a bound outside its range fails synth, naming the field', async () => {
    await expect(synth(withDeploy({ exports: { concurrency: 0 } }))).rejects.toThrow(
      /deploy\.exports\.concurrency: Too small/,
    );
    await expect(synth(withDeploy({ exports: { expireDays: 0 } }))).rejects.toThrow(
      /deploy\.exports\.expireDays: Too small/,
    );
  });
});

describe('what the functions are told of the config', () => {
  it('collect, the sources and evaluate apply the config’s checks settings; the summary its due days', async () => {
    const config = {
      ...withDeploy({}),
      checks: { aws: { data: { backupRetentionDays: 35 } } },
      alerts: { dueDays: { critical: 2 } },
    };
    const s = await synth(config);
    const expected = checkSettingsSchema.parse(config.checks);
    for (const name of ['Collect', 'Evaluate'])
      expect(JSON.parse(fn(name, s).Environment.Variables.CHECK_SETTINGS), name).toEqual(expected);
    expect(JSON.parse(fn('Summary', s).Environment.Variables.ALERT_SETTINGS)).toEqual(
      alertsSchema.parse(config.alerts),
    );
    const defaults = JSON.parse(fn('Evaluate').Environment.Variables.CHECK_SETTINGS);
    expect(defaults).toEqual(checkSettingsSchema.parse(undefined));
  });

  it('the summary and export judge the ISMS records by the config’s isms settings (the SoA approval’s age)', async () => {
    const s = await synth({ ...withDeploy({}), isms: { soaMaxAgeDays: 90 } });
    for (const name of ['Summary', 'Export']) {
      expect(JSON.parse(fn(name, s).Environment.Variables.ISMS_SETTINGS), name).toEqual(
        ismsSchema.parse({ soaMaxAgeDays: 90 }),
      );
      expect(JSON.parse(fn(name).Environment.Variables.ISMS_SETTINGS).soaMaxAgeDays, name).toBe(365);
    }
    await expect(synth({ ...withDeploy({}), isms: { soaMaxAgeDays: 0 } })).rejects.toThrow(
      /isms\.soaMaxAgeDays: Too small/,
    );
  });

  it('evaluate and export judge each collector by its deployed schedule where it is not the default', () => {
    const groups = example.main.proofline.scheduleGroups;
    // The example's daily group runs at 05:00 (cron), not at its collectors' default rate(1 day).
    const daily = groups.find((g) => g.name === 'daily')!;
    expect(scheduleOverrides(groups, collectors)[daily.expression]).toEqual(daily.collectors);
    for (const name of ['Evaluate', 'Export'])
      expect(JSON.parse(fn(name).Environment.Variables.COLLECTOR_SCHEDULES), name).toEqual(
        scheduleOverrides(groups, collectors),
      );
  });

  it('a collector that runs on its default schedule is not listed; groups on one expression are merged', () => {
    const registry = [
      { id: 'a', defaultSchedule: 'rate(1 day)' },
      { id: 'b', defaultSchedule: 'rate(1 day)' },
      { id: 'c', defaultSchedule: 'rate(1 hour)' },
    ] as never;
    const groups = [
      { name: 'g', expression: 'rate(1 day)', collectors: ['a'], missedAfterHours: 30 },
      { name: 'w', expression: 'rate(7 days)', collectors: ['b'], missedAfterHours: 168 },
      { name: 'v', expression: 'rate(7 days)', collectors: ['c'], missedAfterHours: 168 },
    ];
    expect(scheduleOverrides(groups, registry)).toEqual({ 'rate(7 days)': ['b', 'c'] });
  });
});

describe('logical ids', () => {
  it('the parts of the construct keep the ids their resources had in it: nothing stateful is replaced', () => {
    const ids = Object.keys(example.mainTemplate.toJSON().Resources);
    // As synthesized before the construct was split into evidence storage, alerts, schedules and auditor access.
    for (const id of [
      'ProoflineDataKey7EDCAE15',
      'ProoflineSigningKey14CDB09F',
      'ProoflineAccessLogBucket92FDDCAB',
      'ProoflineEvidenceBucket8F0DA05D',
      'ProoflineEvidenceBucketPolicy7C562E24',
      'ProoflineIndexTable70FB00F5',
      'ProoflineAlertTopicAB56005E',
      'ProoflineAlertTopicsecurityexamplecom85D2AF9C',
      'ProoflineCollectorRoleEF5374BA',
      'ProoflineAuditorRoleD22F10F3',
      'ProoflineSchedules4C7495E7',
      'ProoflineCollectdaily3ABA0521',
    ])
      expect(ids, id).toContain(id);
  });

  it('computes the id CDK allocates for a path', () => {
    const stack = new Stack(new App(), 'S');
    const made = new CfnResource(new Construct(new Construct(stack, 'Outer'), 'Default'), 'Thing-1', {
      type: 'AWS::SNS::Topic',
    });
    const allocated = stack.resolve(made.logicalId);
    expect(logicalIdOf(['Outer', 'Default', 'Thing-1'])).toBe(allocated);
    expect(logicalIdOf(['Proofline', 'EvidenceBucket', 'Resource'])).toBe('ProoflineEvidenceBucket8F0DA05D');
    expect(logicalIdOf(['Single'])).toBe('Single');
  });
});
