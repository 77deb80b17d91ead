import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { backupRetention } from '../../collectors/aws/rds/checks.ts';
import { rds } from '../../collectors/aws/rds/index.ts';
import type { RdsSnapshot } from '../../collectors/aws/rds/snapshot.ts';
import { DEFAULT_CHECK_SETTINGS } from '../../core/check-settings.ts';
import { loadConfig } from '../../core/config-file.ts';
import { evaluateArtifact } from '../../core/evaluate.ts';

const dir = await mkdtemp(join(tmpdir(), 'proofline-checks-config-'));
afterAll(() => rm(dir, { recursive: true, force: true }));
const configFile = async (yaml: string) => {
  const file = join(dir, `${Math.random().toString(36).slice(2)}.yaml`);
  await writeFile(file, yaml);
  return file;
};

describe('checks section of the configuration', () => {
  it('defaults every threshold when absent', async () => {
    const config = await loadConfig(await configFile('scope: {}\n'));
    expect(config.checks).toEqual(DEFAULT_CHECK_SETTINGS);
    expect(config.checks.aws.data.backupRetentionDays).toBe(7);
  });

  it('reads checks.aws.data and rejects a bad value naming the field', async () => {
    const config = await loadConfig(
      await configFile('checks:\n  aws:\n    data:\n      backupRetentionDays: 30\n'),
    );
    expect(config.checks.aws.data).toMatchObject({ backupRetentionDays: 30, secretRotationDays: 90 });
    await expect(
      loadConfig(await configFile('checks:\n  aws:\n    data:\n      backupRetentionDays: 0\n')),
    ).rejects.toThrow(/checks\.aws\.data\.backupRetentionDays: /);
    await expect(
      loadConfig(await configFile('checks:\n  aws:\n    data:\n      retention: 3\n')),
    ).rejects.toThrow(/checks\.aws\.data: .*retention/);
  });

  it('reaches the checks through evaluateArtifact', () => {
    const snapshot: RdsSnapshot = {
      databases: [
        {
          kind: 'instance',
          id: 'db',
          arn: 'db',
          engine: 'postgres',
          engineVersion: '16',
          clusterId: null,
          storageEncrypted: true,
          storage: { allocatedGiB: 20, maxGiB: 100 },
          publiclyAccessible: false,
          backupRetentionDays: 10,
          multiAz: true,
          deletionProtection: true,
          autoMinorVersionUpgrade: true,
          iamAuthentication: true,
          logExports: [],
          parameterGroup: null,
          tags: {},
        },
      ],
      snapshots: [],
      parameterGroups: {},
    };
    const artifact = {
      collector: rds.id,
      scope: { source: 'aws' as const, id: '111122223333', region: 'us-east-1' },
      collectedAt: '2026-11-27T00:00:00.000Z',
      schemaVersion: 1,
      status: 'ok' as const,
      snapshot,
    };
    const retention = (settings?: typeof DEFAULT_CHECK_SETTINGS) =>
      evaluateArtifact(rds, artifact, settings).find((f) => f.check === backupRetention.id)?.status;
    expect(retention()).toBe('pass');
    const strict = {
      aws: {
        ...DEFAULT_CHECK_SETTINGS.aws,
        data: { ...DEFAULT_CHECK_SETTINGS.aws.data, backupRetentionDays: 30 },
      },
    };
    expect(retention(strict)).toBe('fail');
  });
});
