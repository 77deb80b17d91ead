import { daysBetween, perResource } from '../../../core/collector.ts';
import { customerKeyCheck } from '../customer-keys.ts';
import { dataSettings } from '../data-settings.ts';
import type { SecretSnapshot, SecretsManagerSnapshot } from './snapshot.ts';

const secrets = (s: SecretsManagerSnapshot) => s.secrets;
const arn = (s: SecretSnapshot) => s.arn;

/** Whether `event` (else the secret's creation) happened at most `limit` days before `asOf`. */
function withinDays(
  s: SecretSnapshot,
  event: string | null,
  what: string,
  limit: number,
  asOf: Date,
): readonly [boolean, string] {
  const since = event ?? s.createdAt;
  if (!since) return [false, `secret ${s.name}: neither last ${what} nor creation date recorded`];
  const age = daysBetween(since, asOf);
  const when = event ? `last ${what}` : `never ${what}, created`;
  return [age <= limit, `secret ${s.name}: ${when} ${age} days ago (limit ${limit})`];
}

export const rotationEnabled = perResource(
  {
    id: 'aws.secretsmanager.rotation-enabled',
    title: 'Secrets rotate automatically',
    severity: 'medium',
    remediation:
      'Configure rotation with a rotation function or managed rotation (rotate-secret --rotation-rules).',
    procedure: 'Reads every secret’s metadata (ListSecrets). Passes it when RotationEnabled is true.',
  },
  secrets,
  arn,
  (s) => [
    s.rotationEnabled,
    s.rotationEnabled
      ? `rotates every ${s.rotationDays ?? '?'} days`
      : `secret ${s.name} has no automatic rotation`,
  ],
);

export const rotatedRecently = perResource(
  {
    id: 'aws.secretsmanager.rotated-recently',
    title: 'Secrets were rotated within the configured number of days',
    severity: 'medium',
    remediation:
      'Rotate the secret now (rotate-secret) and fix the rotation function if rotation is failing.',
    procedure:
      'Reads every secret’s LastRotatedDate, else CreatedDate (ListSecrets). Passes it when that is at most checks.aws.data.secretRotationDays (default 90) days before the collection.',
  },
  secrets,
  arn,
  (s, _, context) =>
    withinDays(s, s.lastRotatedAt, 'rotated', dataSettings(context).secretRotationDays, context.asOf),
);

export const unused = perResource(
  {
    id: 'aws.secretsmanager.unused',
    title: 'Secrets are in use',
    severity: 'low',
    remediation:
      'Delete the secret if nothing needs it (delete-secret with a recovery window), or find its owner.',
    procedure:
      'Reads every secret’s LastAccessedDate and CreatedDate (ListSecrets). Passes it when it was read, or created, within checks.aws.data.secretUnusedDays (default 90) days before the collection.',
  },
  secrets,
  arn,
  (s, _, context) =>
    withinDays(s, s.lastAccessedAt, 'read', dataSettings(context).secretUnusedDays, context.asOf),
);

export const customerKey = customerKeyCheck(
  {
    id: 'aws.secretsmanager.customer-key',
    title: 'Secrets are encrypted with a customer-managed KMS key (where required)',
    severity: 'medium',
    remediation: 'Re-encrypt the secret with a customer-managed key (update-secret --kms-key-id).',
    procedure:
      'Reads every secret’s KmsKeyId (ListSecrets, which omits it for the AWS-managed key aws/secretsmanager). Passes a secret that names a key. Applied only when checks.aws.data.customerManagedKeys is true.',
  },
  secrets,
  arn,
  (s) => s,
);

export const checks = [rotationEnabled, rotatedRecently, unused, customerKey];
