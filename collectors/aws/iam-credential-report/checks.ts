import { type Check, daysBetween, finding } from '../../../core/collector.ts';
import type { CredentialReportSnapshot, CredentialReportUser } from './snapshot.ts';

export const MAX_KEY_AGE_DAYS = 90;
export const MAX_UNUSED_DAYS = 90;
export const MIN_PASSWORD_LENGTH = 14;
export const MIN_PASSWORD_REUSE_PREVENTION = 24;

const ROOT = '<root_account>';
const isRoot = (u: CredentialReportUser) => u.user === ROOT;
const iamUsers = (s: CredentialReportSnapshot) => s.users.filter((u) => !isRoot(u));
const rootOf = (s: CredentialReportSnapshot) => s.users.find(isRoot);

export const rootMfa: Check<CredentialReportSnapshot> = {
  id: 'aws.iam.root-mfa',
  title: 'Root user has MFA enabled',
  severity: 'critical',
  procedure:
    'Reads the IAM credential report and the account summary. Passes when the root user has an MFA device active (either source says so); fails otherwise.',
  remediation: 'Sign in as root and assign a hardware or virtual MFA device (IAM > Security credentials).',
  evaluate(s) {
    const root = rootOf(s);
    const enabled = root?.mfaActive === true || s.accountSummary.AccountMFAEnabled === 1;
    return [
      finding(
        this.id,
        root?.arn ?? ROOT,
        enabled,
        enabled ? 'root MFA is enabled' : 'root user has no MFA device',
      ),
    ];
  },
};

export const rootAccessKeys: Check<CredentialReportSnapshot> = {
  id: 'aws.iam.root-access-keys',
  title: 'Root user has no access keys',
  severity: 'critical',
  procedure:
    'Reads the IAM credential report and the account summary. Passes when the root user has no active access key; fails when either shows one.',
  remediation: 'Delete the root user access keys; use IAM roles for programmatic access.',
  evaluate(s) {
    const root = rootOf(s);
    const active =
      (root?.accessKeys.filter((k) => k.active).length ?? 0) +
      (s.accountSummary.AccountAccessKeysPresent ?? 0);
    return [
      finding(
        this.id,
        root?.arn ?? ROOT,
        active === 0,
        active === 0 ? 'root has no access keys' : 'root user has an active access key',
      ),
    ];
  },
};

export const consoleUsersMfa: Check<CredentialReportSnapshot> = {
  id: 'aws.iam.console-users-mfa',
  title: 'IAM users with a console password have MFA',
  severity: 'high',
  procedure:
    'Reads the IAM credential report: every IAM user with a console password. Passes per user when an MFA device is active; fails for each console user without one.',
  remediation: 'Assign an MFA device to each IAM user with console access, or remove the console password.',
  evaluate(s) {
    return iamUsers(s)
      .filter((u) => u.passwordEnabled)
      .map((u) =>
        finding(
          this.id,
          u.arn,
          u.mfaActive,
          u.mfaActive ? 'console user has MFA' : `console user ${u.user} has no MFA device`,
        ),
      );
  },
};

export const accessKeyAge: Check<CredentialReportSnapshot> = {
  id: 'aws.iam.access-key-rotation',
  title: `Active access keys are rotated within ${MAX_KEY_AGE_DAYS} days`,
  severity: 'medium',
  procedure: `Reads the IAM credential report: every active access key. Passes per key when it was last rotated (or its user created) at most ${MAX_KEY_AGE_DAYS} days before the collection; fails for each older key.`,
  remediation: 'Create a new access key, move its users to it, then deactivate and delete the old key.',
  evaluate(s, { asOf }) {
    return s.users.flatMap((u) =>
      u.accessKeys
        .filter((k) => k.active)
        .map((k) => {
          const age = daysBetween(k.lastRotated ?? u.userCreationTime, asOf);
          return finding(
            this.id,
            `${u.arn}#key${k.slot}`,
            age <= MAX_KEY_AGE_DAYS,
            `access key ${k.slot} of ${u.user} is ${age} days old`,
          );
        }),
    );
  },
};

export const unusedCredentials: Check<CredentialReportSnapshot> = {
  id: 'aws.iam.unused-credentials',
  title: `Credentials unused for ${MAX_UNUSED_DAYS} days are disabled`,
  severity: 'medium',
  procedure: `Reads the IAM credential report: each IAM user with a console password or an active key. Passes per user when every such credential was used (or issued) within ${MAX_UNUSED_DAYS} days of the collection; fails naming each unused credential.`,
  remediation: 'Remove the console password and deactivate access keys that have not been used in 90 days.',
  evaluate(s, { asOf }) {
    const stale = (lastUsed: string | null, issued: string | null) =>
      daysBetween(lastUsed ?? issued ?? '1970-01-01T00:00:00Z', asOf) > MAX_UNUSED_DAYS;
    return iamUsers(s).flatMap((u) => {
      const unused: string[] = [];
      if (u.passwordEnabled && stale(u.passwordLastUsed, u.passwordLastChanged ?? u.userCreationTime))
        unused.push('console password');
      for (const k of u.accessKeys) {
        if (k.active && stale(k.lastUsed, k.lastRotated ?? u.userCreationTime))
          unused.push(`access key ${k.slot}`);
      }
      if (!u.passwordEnabled && !u.accessKeys.some((k) => k.active)) return [];
      return [
        finding(
          this.id,
          u.arn,
          unused.length === 0,
          unused.length === 0
            ? 'all credentials used recently'
            : `${u.user}: ${unused.join(', ')} unused for over ${MAX_UNUSED_DAYS} days`,
        ),
      ];
    });
  },
};

export const passwordPolicy: Check<CredentialReportSnapshot> = {
  id: 'aws.iam.password-policy',
  title: 'Account password policy is strong',
  severity: 'medium',
  procedure: `Reads the account password policy (GetAccountPasswordPolicy). Passes when it exists with a minimum length of at least ${MIN_PASSWORD_LENGTH} and reuse prevention of at least ${MIN_PASSWORD_REUSE_PREVENTION}; fails when it is missing or weaker.`,
  remediation: `Set a password policy with a minimum length of ${MIN_PASSWORD_LENGTH} and reuse prevention of ${MIN_PASSWORD_REUSE_PREVENTION}.`,
  evaluate(s, { scope }) {
    const p = s.passwordPolicy;
    const resource = `arn:aws:iam::${scope.id}:account-password-policy`;
    if (!p) return [finding(this.id, resource, false, 'the account has no password policy')];
    const weaknesses = [
      p.minimumPasswordLength < MIN_PASSWORD_LENGTH &&
        `minimum length ${p.minimumPasswordLength} < ${MIN_PASSWORD_LENGTH}`,
      (p.passwordReusePrevention ?? 0) < MIN_PASSWORD_REUSE_PREVENTION &&
        `reuse prevention ${p.passwordReusePrevention ?? 0} < ${MIN_PASSWORD_REUSE_PREVENTION}`,
    ].filter((w): w is string => typeof w === 'string');
    return [
      finding(
        this.id,
        resource,
        weaknesses.length === 0,
        weaknesses.length ? weaknesses.join('; ') : 'password policy meets the minimums',
      ),
    ];
  },
};

export const checks = [
  rootMfa,
  rootAccessKeys,
  consoleUsersMfa,
  accessKeyAge,
  unusedCredentials,
  passwordPolicy,
];
