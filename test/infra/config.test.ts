import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { deploySchema } from '../../core/config.ts';
import { buildApp } from '../../infra/app.ts';
import { PROJECT_ROOT } from '../../infra/handlers.ts';
import { EXAMPLE_CONFIG_FILE, exampleConfig, SKIP_BUNDLING, withDeploy } from './support.ts';

const build = (config: unknown) => buildApp({ config, nag: false, appProps: SKIP_BUNDLING });

describe('a bad config fails synth, naming the field and what is wrong', () => {
  it.each([
    ['retention below one day', { retentionDays: 0 }, /deploy\.retentionDays: .*>=1/],
    ['a region that is not one', { regions: ['mars-1'] }, /deploy\.regions\.0: must be a region name/],
    ['an account id that is not one', { accounts: ['12345'] }, /deploy\.accounts\.0: must be a 12-digit/],
    [
      'a schedule that is not an expression',
      { schedules: { daily: { expression: 'daily', collectors: ['aws.kms.keys'] } } },
      /deploy\.schedules\.daily\.expression: must be rate/,
    ],
    ['an unknown field', { retentionDay: 400 }, /deploy: Unrecognized key: "retentionDay"/],
    [
      'a log retention CloudWatch does not offer',
      { logRetentionDays: 100 },
      /deploy\.logRetentionDays: must be one of/,
    ],
    ['a presigned URL longer than an hour', { exportUrlMinutes: 90 }, /deploy\.exportUrlMinutes: .*<=60/],
    [
      'more accounts in parallel than allowed',
      { concurrency: { accounts: 0 } },
      /deploy\.concurrency\.accounts: .*>=1/,
    ],
    [
      'an auditor principal that is not an ARN',
      { auditorPrincipals: ['alice'] },
      /deploy\.auditorPrincipals\.0: must be an IAM role/,
    ],
    [
      'an e-mail that is not one',
      { alertEmails: ['security'] },
      /deploy\.alertEmails\.0: must be an e-mail address/,
    ],
  ])('%s', async (_, deploy, message) => {
    await expect(build(withDeploy(deploy))).rejects.toThrow(message);
  });

  it('other accounts without an external id', async () => {
    const config = withDeploy({ organization: { enabled: false }, accounts: ['111111111111'] });
    await expect(build(config)).rejects.toThrow(
      /deploy\.organization\.externalId: is required when collecting from other accounts/,
    );
  });

  it('a scheduled collector that does not exist, or is in two groups', async () => {
    await expect(
      build(withDeploy({ schedules: { daily: { expression: 'rate(1 day)', collectors: ['aws.nope'] } } })),
    ).rejects.toThrow(
      /^\(inline config\): deploy\.schedules\.daily\.collectors\.0: unknown collector "aws\.nope"/,
    );
    await expect(
      build(
        withDeploy({
          schedules: {
            a: { expression: 'rate(1 day)', collectors: ['aws.kms.keys'] },
            b: { expression: 'rate(1 hour)', collectors: ['aws.kms.keys'] },
          },
        }),
      ),
    ).rejects.toThrow(/deploy\.schedules\.b\.collectors\.0: "aws\.kms\.keys" is already in group a/);
  });

  it('the error names the config file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'proofline-config-'));
    const file = join(dir, 'proofline.config.yaml');
    await writeFile(file, stringify(withDeploy({ retentionDays: -5 })));
    await expect(buildApp({ configFile: file, nag: false, appProps: SKIP_BUNDLING })).rejects.toThrow(
      `${file}: deploy.retentionDays`,
    );
  });

  it('`cdk synth` (bin/app.ts) exits with the message, before building anything', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'proofline-config-'));
    const file = join(dir, 'bad.json');
    await writeFile(file, JSON.stringify(withDeploy({ retentionDays: 0 })));
    const run = promisify(execFile)(process.execPath, ['--import', 'tsx', 'bin/app.ts'], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify({ config: file }), CDK_OUTDIR: dir },
    });
    await expect(run).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining(`proofline: ${file}: deploy.retentionDays: Too small`),
    });
  });
});

describe('defaults', () => {
  it('an absent deploy section is all defaults', () => {
    const deploy = deploySchema.parse({});
    expect(deploy).toMatchObject({
      stackName: 'Proofline',
      retentionDays: 400,
      digestSchedule: 'rate(1 hour)',
      organization: { enabled: false, memberRoleName: 'ProoflineMember' },
      accounts: [],
      concurrency: { accounts: 10, perAccount: 4 },
      exportUrlMinutes: 15,
    });
  });

  it('the example config is valid, and a config without a deploy section builds', async () => {
    await expect(
      buildApp({ configFile: EXAMPLE_CONFIG_FILE, nag: false, appProps: SKIP_BUNDLING }),
    ).resolves.toBeDefined();
    const { deploy: _, ...scopeOnly } = exampleConfig();
    const built = await build(scopeOnly);
    expect(built.main.stackName).toBe('Proofline');
    expect(built.member.stackName).toBe('ProoflineMemberRole');
  });
});
