import { type Check, DAY_MS, perResource } from '../../../core/collector.ts';
import { scheduleIntervalMs } from '../../../core/schedule.ts';
import { customerKeyCheck } from '../customer-keys.ts';
import { dataSettings, onlyWhen } from '../data-settings.ts';
import { isUnknown, perReadResource } from '../unknown.ts';
import type { BackupPlanSnapshot, BackupSnapshot, BackupVaultSnapshot } from './snapshot.ts';

const plans = (s: BackupSnapshot) => s.plans;
const vaults = (s: BackupSnapshot) => s.vaults;
const arn = (r: { arn: string }) => r.arn;
/** Slack on top of a schedule's interval: the start window and the time a backup job takes. */
const SLACK_MS = DAY_MS;
const days = (ms: number) => `${Math.round((ms / DAY_MS) * 10) / 10} days`;

const scheduledRules = (p: BackupPlanSnapshot) =>
  isUnknown(p.rules) ? [] : p.rules.filter((r) => r.schedule);

export const planExists = perReadResource(
  {
    id: 'aws.backup.plan-exists',
    title: 'An AWS Backup plan with a scheduled rule exists',
    severity: 'high',
    remediation: 'Create a backup plan with at least one scheduled rule (aws backup create-backup-plan).',
    procedure:
      'Reads every backup plan and its rules (ListBackupPlans, GetBackupPlan). Passes each plan with at least one scheduled rule; a region with no plan fails.',
  },
  'backup plans',
  plans,
  arn,
  (p) => {
    if (isUnknown(p.rules)) return [false, `plan ${p.name}: rules unreadable (${p.rules.unknown})`];
    const rules = scheduledRules(p);
    return rules.length > 0
      ? [true, `plan ${p.name}: ${rules.map((r) => `${r.name} ${r.schedule}`).join(', ')}`]
      : [false, `plan ${p.name} has no scheduled rule`];
  },
  'no backup plan in this region',
);

export const tagSelection: Check<BackupSnapshot> = {
  id: 'aws.backup.tag-selection',
  title: 'A backup plan selects the resources tagged for backup',
  severity: 'high',
  remediation:
    'Add a backup selection assigning resources by the backup tag (create-backup-selection with ListOfTags or Conditions StringEquals).',
  procedure:
    'Reads every backup plan’s selections (ListBackupSelections, GetBackupSelection). Passes when a plan with a scheduled rule selects resources by the configured tag (checks.aws.data.backupSelector, default backup=true) through ListOfTags or a Conditions StringEquals on aws:ResourceTag; unreadable selections fail.',
  evaluate(s, context) {
    const { key, value } = dataSettings(context).backupSelector;
    const resource = context.scope.id;
    const finding = (ok: boolean, reason: string) => [
      { check: this.id, resource, status: ok ? ('pass' as const) : ('fail' as const), reason },
    ];
    const selecting = s.plans.filter(
      (p) =>
        scheduledRules(p).length > 0 &&
        !isUnknown(p.selections) &&
        p.selections.some((sel) => sel.tags.some((t) => t.key === key && t.value === value)),
    );
    if (selecting.length > 0)
      return finding(
        true,
        `resources tagged ${key}=${value} are selected by ${selecting.map((p) => p.name).join(', ')}`,
      );
    const unreadable = s.plans.filter((p) => isUnknown(p.selections));
    if (unreadable.length > 0) {
      const why = unreadable.map((p) => `${p.name} (${isUnknown(p.selections) ? p.selections.unknown : ''})`);
      return finding(
        false,
        `selections unreadable for ${why.join(', ')}: coverage of ${key}=${value} unknown`,
      );
    }
    return finding(false, `no backup plan selects resources tagged ${key}=${value}`);
  },
};

export const planRetention = perResource(
  {
    id: 'aws.backup.plan-retention',
    title: 'Backup plan rules keep recovery points for at least the configured minimum',
    severity: 'medium',
    remediation: 'Set the rule’s lifecycle DeleteAfterDays to at least the minimum retention (or no expiry).',
    procedure:
      'Reads every backup plan’s rules (GetBackupPlan). Passes a plan when each rule keeps recovery points at least checks.aws.data.backupRetentionDays (default 7) or never expires them.',
  },
  plans,
  arn,
  (p, _, context) => {
    const minimum = dataSettings(context).backupRetentionDays;
    if (isUnknown(p.rules)) return [false, `plan ${p.name}: rules unreadable (${p.rules.unknown})`];
    const short = p.rules.filter((r) => r.deleteAfterDays !== null && r.deleteAfterDays < minimum);
    return short.length === 0
      ? [true, `every rule keeps recovery points ≥ ${minimum} days`]
      : [
          false,
          `plan ${p.name}: ${short.map((r) => `${r.name} keeps ${r.deleteAfterDays} days`).join(', ')} (minimum ${minimum})`,
        ];
  },
);

/** The longest interval between runs of any scheduled rule: a resource backed up by some plan runs at least this often. */
function longestPlanIntervalMs(s: BackupSnapshot): number | undefined {
  const intervals = s.plans
    .flatMap(scheduledRules)
    .map((r) => scheduleIntervalMs(r.schedule ?? ''))
    .filter((ms): ms is number => ms !== undefined);
  return intervals.length > 0 ? Math.max(...intervals) : undefined;
}

export const recentRecoveryPoints = perReadResource(
  {
    id: 'aws.backup.recent-recovery-points',
    title: 'Protected resources have a recovery point within the backup schedule',
    severity: 'high',
    remediation:
      'Investigate failed or missing backup jobs (list-backup-jobs --by-state FAILED) and fix the plan’s selection.',
    procedure:
      'Reads every resource with recovery points (ListProtectedResources). Passes it when its latest backup is younger than the longest interval of the backup plans’ schedules plus one day; no readable schedule, or an unreadable list, fails.',
  },
  'protected resources',
  (s: BackupSnapshot) => s.protectedResources,
  arn,
  (r, s, context) => {
    const interval = longestPlanIntervalMs(s);
    if (interval === undefined)
      return [false, `${r.arn}: no backup plan schedule to judge its last backup against`];
    if (!r.lastBackupTime) return [false, `${r.arn} has no recorded backup time`];
    const age = context.asOf.getTime() - Date.parse(r.lastBackupTime);
    return [
      age <= interval + SLACK_MS,
      `${r.arn}: last backup ${days(age)} ago (schedule allows ${days(interval + SLACK_MS)})`,
    ];
  },
);

export const vaultCustomerKey = customerKeyCheck(
  {
    id: 'aws.backup.vault-customer-key',
    title: 'Backup vaults are encrypted with a customer-managed KMS key (where required)',
    severity: 'medium',
    remediation:
      'Create the vault with a customer-managed key (create-backup-vault --encryption-key-arn) and move plans to it.',
    procedure:
      'Reads every vault’s EncryptionKeyArn (ListBackupVaults) and the key’s manager (kms:DescribeKey). Passes a vault encrypted with a customer-managed key. Applied only when checks.aws.data.customerManagedKeys is true.',
  },
  vaults,
  arn,
  (v: BackupVaultSnapshot) => v,
);

export const vaultLock = onlyWhen(
  'vaultLock',
  perResource(
    {
      id: 'aws.backup.vault-lock',
      title: 'Backup vaults are protected by Vault Lock (where required)',
      severity: 'medium',
      remediation: 'Apply Vault Lock with a minimum retention (put-backup-vault-lock-configuration).',
      procedure:
        'Reads every vault (ListBackupVaults). Passes one whose Locked is true. Applied only when checks.aws.data.vaultLock is true.',
    },
    vaults,
    arn,
    (v) => [
      v.locked,
      v.locked
        ? `locked, minimum retention ${v.minRetentionDays ?? 'unset'} days`
        : `vault ${v.name}: recovery points can be deleted (no Vault Lock)`,
    ],
  ),
);

export const restoreTesting = perReadResource(
  {
    id: 'aws.backup.restore-testing',
    title: 'Restores are tested on a schedule (AWS Backup restore testing)',
    severity: 'medium',
    remediation:
      'Create a restore testing plan with a selection of protected resources (create-restore-testing-plan).',
    procedure:
      'Reads every restore testing plan (ListRestoreTestingPlans). Passes a plan whose last execution is younger than its schedule’s interval plus one day; a region with no plan, or an unreadable list, fails.',
  },
  'restore testing plans',
  (s: BackupSnapshot) => s.restoreTestingPlans,
  arn,
  (p, _, context) => {
    if (!p.lastExecutionTime) return [false, `restore testing plan ${p.name} has never run`];
    const interval = scheduleIntervalMs(p.schedule);
    const age = context.asOf.getTime() - Date.parse(p.lastExecutionTime);
    if (interval === undefined)
      return [false, `restore testing plan ${p.name}: schedule ${p.schedule} not recognised`];
    return [
      age <= interval + SLACK_MS,
      `restore testing plan ${p.name}: last run ${days(age)} ago (schedule ${p.schedule})`,
    ];
  },
  'no restore testing plan in this region',
);

export const checks = [
  planExists,
  tagSelection,
  planRetention,
  recentRecoveryPoints,
  vaultCustomerKey,
  vaultLock,
  restoreTesting,
];
