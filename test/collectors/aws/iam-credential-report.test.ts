import {
  CreateAccessKeyCommand,
  CreateLoginProfileCommand,
  CreateUserCommand,
  IAMClient,
  UpdateAccountPasswordPolicyCommand,
} from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import {
  accessKeyAge,
  consoleUsersMfa,
  passwordPolicy,
  rootAccessKeys,
  rootMfa,
  unusedCredentials,
} from '../../../collectors/aws/iam-credential-report/checks.ts';
import { credentialReport as credentialReportDefinition } from '../../../collectors/aws/iam-credential-report/index.ts';
import {
  CredentialReportFormatError,
  parseCredentialReport,
} from '../../../collectors/aws/iam-credential-report/parse.ts';
import type {
  CredentialReportSnapshot,
  CredentialReportUser,
} from '../../../collectors/aws/iam-credential-report/snapshot.ts';
import { AwsSession } from '../../../collectors/aws/session.ts';
import type { CheckContext } from '../../../core/collector.ts';
import { awsConfig, describeAws } from '../../support/aws.ts';
import { runnable } from '../../support/runnable.ts';

const credentialReport = runnable(credentialReportDefinition);

const context: CheckContext = {
  asOf: new Date('2026-11-27T00:00:00Z'),
  scope: { source: 'aws', id: '111122223333' },
};
const daysAgo = (n: number) => new Date(context.asOf.getTime() - n * 86_400_000).toISOString();

const user = (over: Partial<CredentialReportUser> = {}): CredentialReportUser => ({
  user: 'alice',
  arn: 'arn:aws:iam::111122223333:user/alice',
  userCreationTime: daysAgo(400),
  passwordEnabled: false,
  passwordLastUsed: null,
  passwordLastChanged: null,
  mfaActive: false,
  accessKeys: [
    { slot: 1, active: false, lastRotated: null, lastUsed: null },
    { slot: 2, active: false, lastRotated: null, lastUsed: null },
  ],
  ...over,
});
const root = (over: Partial<CredentialReportUser> = {}) =>
  user({ user: '<root_account>', arn: 'arn:aws:iam::111122223333:root', mfaActive: true, ...over });
const snapshot = (
  users: CredentialReportUser[],
  over: Partial<CredentialReportSnapshot> = {},
): CredentialReportSnapshot => ({
  reportGeneratedAt: daysAgo(0),
  users,
  passwordPolicy: {
    minimumPasswordLength: 14,
    requireSymbols: true,
    requireNumbers: true,
    requireUppercaseCharacters: true,
    requireLowercaseCharacters: true,
    passwordReusePrevention: 24,
    maxPasswordAge: 90,
  },
  accountSummary: { AccountMFAEnabled: 1, AccountAccessKeysPresent: 0 },
  ...over,
});
const statuses = (findings: { status: string }[]) => findings.map((f) => f.status);
const key = (slot: 1 | 2, lastRotated: string, lastUsed: string | null = null) => ({
  slot,
  active: true,
  lastRotated,
  lastUsed,
});

describe('aws.iam.credential-report checks', () => {
  it('root MFA: passes with MFA, fails without', () => {
    expect(statuses(rootMfa.evaluate(snapshot([root()]), context))).toEqual(['pass']);
    const failing = rootMfa.evaluate(
      snapshot([root({ mfaActive: false })], { accountSummary: { AccountMFAEnabled: 0 } }),
      context,
    );
    expect(failing).toMatchObject([{ status: 'fail', reason: 'root user has no MFA device' }]);
  });

  it('root access keys: passes with none, fails with an active key', () => {
    expect(statuses(rootAccessKeys.evaluate(snapshot([root()]), context))).toEqual(['pass']);
    const withKey = snapshot([
      root({
        accessKeys: [key(1, daysAgo(3)), { slot: 2, active: false, lastRotated: null, lastUsed: null }],
      }),
    ]);
    expect(statuses(rootAccessKeys.evaluate(withKey, context))).toEqual(['fail']);
  });

  it('console users MFA: one finding per console user; users without a password are not judged', () => {
    const s = snapshot([
      root(),
      user({ user: 'alice', passwordEnabled: true, mfaActive: true }),
      user({ user: 'bob', arn: 'arn:aws:iam::111122223333:user/bob', passwordEnabled: true }),
      user({ user: 'robot', arn: 'arn:aws:iam::111122223333:user/robot' }),
    ]);
    expect(consoleUsersMfa.evaluate(s, context).map((f) => [f.resource, f.status])).toEqual([
      ['arn:aws:iam::111122223333:user/alice', 'pass'],
      ['arn:aws:iam::111122223333:user/bob', 'fail'],
    ]);
  });

  it('access key rotation: 90 days passes, 91 fails, per key', () => {
    const s = snapshot([
      user({ accessKeys: [key(1, daysAgo(90), daysAgo(1)), key(2, daysAgo(91), daysAgo(1))] }),
    ]);
    expect(accessKeyAge.evaluate(s, context).map((f) => [f.resource.split('#')[1], f.status])).toEqual([
      ['key1', 'pass'],
      ['key2', 'fail'],
    ]);
  });

  it('unused credentials: recent use passes; a password or key idle for over 90 days fails', () => {
    const recent = user({
      passwordEnabled: true,
      passwordLastUsed: daysAgo(5),
      accessKeys: [key(1, daysAgo(200), daysAgo(2)), key(2, daysAgo(1))],
    });
    expect(statuses(unusedCredentials.evaluate(snapshot([recent]), context))).toEqual(['pass']);
    const idle = user({
      passwordEnabled: true,
      passwordLastUsed: daysAgo(120),
      accessKeys: [key(1, daysAgo(200), null), key(2, daysAgo(1))],
    });
    const [f] = unusedCredentials.evaluate(snapshot([idle]), context);
    expect(f).toMatchObject({ status: 'fail' });
    expect(f?.reason).toContain('console password, access key 1');
  });

  it('password policy: strong passes; a missing or weak policy fails with what is short', () => {
    expect(statuses(passwordPolicy.evaluate(snapshot([root()]), context))).toEqual(['pass']);
    expect(passwordPolicy.evaluate(snapshot([root()], { passwordPolicy: null }), context)).toMatchObject([
      { status: 'fail', reason: 'the account has no password policy' },
    ]);
    const weak = snapshot([root()], {
      passwordPolicy: {
        ...snapshot([]).passwordPolicy!,
        minimumPasswordLength: 8,
        passwordReusePrevention: null,
      },
    });
    expect(passwordPolicy.evaluate(weak, context)[0]?.reason).toBe(
      'minimum length 8 < 14; reuse prevention 0 < 24',
    );
  });
});

const HEADER =
  'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';

describe('parseCredentialReport', () => {
  it('reads the 22-column report, turning N/A and no_information into null', () => {
    const csv = `${HEADER}\n<root_account>,arn:aws:iam::111122223333:root,2020-01-01T00:00:00+00:00,not_supported,2026-11-01T00:00:00+00:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\nalice,arn:aws:iam::111122223333:user/alice,2024-01-01T00:00:00+00:00,true,no_information,2024-01-01T00:00:00+00:00,N/A,false,true,2026-10-01T00:00:00+00:00,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n`;
    const [rootRow, alice] = parseCredentialReport(csv);
    expect(rootRow).toMatchObject({
      user: '<root_account>',
      passwordEnabled: false,
      mfaActive: true,
      passwordLastUsed: '2026-11-01T00:00:00+00:00',
    });
    expect(alice).toMatchObject({ passwordEnabled: true, passwordLastUsed: null, mfaActive: false });
    expect(alice?.accessKeys[0]).toEqual({
      slot: 1,
      active: true,
      lastRotated: '2026-10-01T00:00:00+00:00',
      lastUsed: null,
    });
  });

  it('names the missing columns', () => {
    expect(() => parseCredentialReport('user,arn\nalice,arn:x\n')).toThrow(
      /lacks columns: user_creation_time, password_enabled/,
    );
  });

  it('names the line and column of a bad value', () => {
    const csv = `${HEADER}\nalice,arn:aws:iam::1:user/alice,2024-01-01,maybe,N/A,N/A,N/A,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n`;
    expect(() => parseCredentialReport(csv)).toThrow(
      new CredentialReportFormatError('line 2: column password_enabled is "maybe", expected true or false'),
    );
  });

  it('rejects input that is not CSV, and an empty report', () => {
    expect(() => parseCredentialReport(`${HEADER}\n"unterminated,quote\n`)).toThrow(
      CredentialReportFormatError,
    );
    expect(() => parseCredentialReport('')).toThrow(/no rows/);
  });
});

describeAws('aws.iam.credential-report collect (moto)', () => {
  it('reads users, MFA and keys from the real report, and the password policy', async () => {
    const iam = new IAMClient(awsConfig());
    await iam.send(new CreateUserCommand({ UserName: 'carol' }));
    await iam.send(new CreateLoginProfileCommand({ UserName: 'carol', Password: 'Long-Enough-Password-1' }));
    await iam.send(new CreateAccessKeyCommand({ UserName: 'carol' }));
    const session = new AwsSession();
    const scope = { source: 'aws' as const, id: await session.accountId() };

    const before = await credentialReport.collect(session, scope);
    expect(before.passwordPolicy).toBeNull();
    const carol = before.users.find((u) => u.user === 'carol');
    expect(carol).toMatchObject({ passwordEnabled: true, mfaActive: false });
    expect(carol?.accessKeys[0]?.active).toBe(true);
    expect(before.accountSummary.Users).toBe(1);

    await iam.send(
      new UpdateAccountPasswordPolicyCommand({ MinimumPasswordLength: 16, PasswordReusePrevention: 24 }),
    );
    const after = await credentialReport.collect(session, scope);
    expect(after.passwordPolicy).toMatchObject({ minimumPasswordLength: 16, passwordReusePrevention: 24 });
  });
});
