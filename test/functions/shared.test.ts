import { describe, expect, it, vi } from 'vitest';
import { verifyChain } from '../../core/digest-chain.ts';
import { openSigner } from '../../core/stores/open.ts';
import { handler as digest } from '../../functions/digest.ts';
import {
  alertSettings,
  checkSettings,
  deployedSchedules,
  ismsSettings,
} from '../../functions/shared/settings.ts';
import { closeEvidenceStore, evidenceStore, storeSpec } from '../../functions/shared/store.ts';
import { describeAws } from '../support/aws.ts';
import { afterThisHour, runAt } from '../support/clock.ts';
import { artifact, createAwsStoreResources, createKmsSigningKey } from '../support/stores.ts';

vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
});

describe('the settings the stack passes to the functions', () => {
  it('checks: the config’s thresholds with every default filled in; unset: none (the defaults)', () => {
    const settings = checkSettings({ CHECK_SETTINGS: '{"aws":{"data":{"backupRetentionDays":35}}}' });
    expect(settings?.aws.data.backupRetentionDays).toBe(35);
    expect(settings?.aws.data.secretRotationDays).toBe(90);
    expect(checkSettings({})).toBeUndefined();
  });

  it('schedules: expression → collectors becomes collector → expression', () => {
    const schedules = deployedSchedules({
      COLLECTOR_SCHEDULES:
        '{"rate(7 days)":["aws.s3.buckets","aws.kms.keys"],"rate(1 hour)":["aws.iam.policies"]}',
    });
    expect(Object.fromEntries(schedules!)).toEqual({
      'aws.s3.buckets': 'rate(7 days)',
      'aws.kms.keys': 'rate(7 days)',
      'aws.iam.policies': 'rate(1 hour)',
    });
    expect(deployedSchedules({})).toBeUndefined();
  });

  it('alerts: the due days by severity; unset: nothing, so the summary uses the defaults', () => {
    expect(alertSettings({ ALERT_SETTINGS: '{"dueDays":{"critical":2}}' })).toEqual({
      dueDays: { critical: 2, high: 30, medium: 90, low: 180 },
    });
    expect(alertSettings({})).toEqual({});
  });

  it('isms: the SoA approval’s allowed age; unset: nothing, so the summary and export use the default', () => {
    expect(ismsSettings({ ISMS_SETTINGS: '{"soaMaxAgeDays":30,"autoNonconformities":true}' })).toEqual({
      soaMaxAgeDays: 30,
    });
    expect(ismsSettings({ ISMS_SETTINGS: '{}' })).toEqual({ soaMaxAgeDays: 365 });
    expect(ismsSettings({})).toEqual({});
    expect(() => ismsSettings({ ISMS_SETTINGS: '{"soaMaxAgeDays":0}' })).toThrow(
      /environment variable ISMS_SETTINGS.*soaMaxAgeDays/,
    );
  });

  it('a value that is not JSON or not valid stops the function with one line naming the variable', () => {
    expect(() => checkSettings({ CHECK_SETTINGS: '{' })).toThrow(
      'environment variable CHECK_SETTINGS is not JSON',
    );
    expect(() => checkSettings({ CHECK_SETTINGS: '{"aws":{"data":{"backupRetentionDays":0}}}' })).toThrow(
      /^environment variable CHECK_SETTINGS: aws\.data\.backupRetentionDays: /,
    );
    expect(() => deployedSchedules({ COLLECTOR_SCHEDULES: '{"rate(1 day)":"aws.s3.buckets"}' })).toThrow(
      /^environment variable COLLECTOR_SCHEDULES: rate\(1 day\): /,
    );
  });
});

describe('the store the functions open', () => {
  it('is the deployed bucket, table, signing key and retention', () => {
    const spec = storeSpec({
      EVIDENCE_BUCKET: 'proofline-evidence',
      INDEX_TABLE: 'proofline-index',
      SIGNING_KEY_ID: '1234abcd-12ab-34cd-56ef-1234567890ab',
      RETENTION_DAYS: '731',
    });
    expect(spec).toBe(
      's3://proofline-evidence?table=proofline-index&key=1234abcd-12ab-34cd-56ef-1234567890ab&retention=731',
    );
  });

  it('PROOFLINE_STORE overrides it; a missing variable is named', () => {
    expect(storeSpec({ PROOFLINE_STORE: '/tmp/store' })).toBe('/tmp/store');
    expect(() => storeSpec({ EVIDENCE_BUCKET: 'b', SIGNING_KEY_ID: 'k' })).toThrow(
      'environment variable INDEX_TABLE is not set',
    );
  });
});

describeAws('digest handler (moto)', () => {
  it('signs the due digests of the deployed store with the KMS key, and adds nothing when run again', async () => {
    const { bucket, table } = await createAwsStoreResources('digestfn');
    const key = await createKmsSigningKey();
    Object.assign(process.env, { EVIDENCE_BUCKET: bucket, INDEX_TABLE: table, SIGNING_KEY_ID: key });
    delete process.env.PROOFLINE_STORE;
    try {
      const store = await evidenceStore();
      await store.putArtifact(artifact(new Date(Date.now() - 60_000).toISOString(), { buckets: [] }));
      const later = afterThisHour();
      const upTo = new Date(later.getTime() - 61_000).toISOString();
      const first = await runAt(later, () => digest({}));
      expect(first.written.length).toBeGreaterThan(0);
      expect(first.written.every((k) => k.startsWith('digests/dt='))).toBe(true);
      expect((await runAt(later, () => digest({ upTo }))).written).toEqual([]);
      const chain = await verifyChain(store, [await (await openSigner(storeSpec())).publicKeyPem()], {
        now: new Date(upTo),
      });
      expect(chain.ok).toBe(true);
    } finally {
      await closeEvidenceStore();
      for (const name of ['EVIDENCE_BUCKET', 'INDEX_TABLE', 'SIGNING_KEY_ID']) delete process.env[name];
    }
  });
});
