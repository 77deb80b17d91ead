import * as z from 'zod';
import { checkSettingsSchema } from './check-settings.ts';
import { DEFAULT_MAX_EXCEPTION_DAYS } from './exceptions.ts';
import { DEFAULT_SOA_MAX_AGE_DAYS } from './isms/soa-approval.ts';

export { ConfigError, parseWith } from './validate.ts';

// ---- deploy: how `cdk deploy` builds the stack (read by bin/app.ts and infra/) ----

const accountId = z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account id');
const regionName = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be a region name like eu-west-1');
/** EventBridge Scheduler expressions: `rate(…)` or six-field `cron(…)`. */
export const scheduleExpression = z
  .string()
  .regex(
    /^(rate\(([1-9]\d*) (minutes?|hours?|days?)\)|cron\(\S+ \S+ \S+ \S+ \S+ \S+\))$/,
    'must be rate(<n> minutes|hours|days) or cron(<6 fields>)',
  );
/** CloudWatch Logs accepts only these retention periods. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

const scheduleGroupSchema = z.strictObject({
  expression: scheduleExpression.describe('When the group runs, e.g. `rate(1 day)` or `cron(0 6 * * ? *)`.'),
  collectors: z
    .array(z.string().min(1))
    .min(1, 'must name at least one collector')
    .describe('Collector ids the group runs (see docs/collectors.md).'),
  missedAfterHours: z
    .number()
    .positive()
    .max(168)
    .optional()
    .describe(
      'Alarm when no run of the group started for this many hours. Default: 1.25 × the rate (at least 1, at most 168), or 26 for a cron expression.',
    ),
});
export type ScheduleGroupConfig = z.infer<typeof scheduleGroupSchema>;

export const deploySchema = z
  .strictObject({
    stackName: z
      .string()
      .regex(
        /^[A-Za-z][A-Za-z0-9-]{0,29}$/,
        'must start with a letter: at most 30 letters, digits and hyphens',
      )
      .default('Proofline')
      .describe('Name of the main stack; the member role stack is `<stackName>MemberRole`.'),
    account: accountId
      .optional()
      .describe('Account to deploy to. Default: the account of the credentials `cdk deploy` runs with.'),
    region: regionName
      .optional()
      .describe('Region to deploy to. Default: the region of the `cdk deploy` environment.'),
    retentionDays: z
      .int()
      .min(1)
      .max(36_500)
      .default(400)
      .describe(
        'Object Lock retention (COMPLIANCE mode) of every evidence object, in days: nobody, root included, can delete or shorten it. 400 covers a 12-month Type II window plus the audit.',
      ),
    logRetentionDays: z
      .int()
      .refine((d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d), {
        message: `must be one of the CloudWatch Logs periods: ${LOG_RETENTION_DAYS.join(', ')}`,
      })
      .default(400)
      .describe(
        `Retention of the functions' and the state machine's CloudWatch logs, in days: one of ${LOG_RETENTION_DAYS.join(', ')}.`,
      ),
    schedules: z
      .record(
        z.string().regex(/^[a-z][a-z0-9-]{0,30}$/, 'group names are lower-case letters, digits and hyphens'),
        scheduleGroupSchema,
      )
      .optional()
      .describe(
        'Collector groups, each with its own schedule; any collector id, a source other than AWS needing its `scope` section. Default: one group per distinct `defaultSchedule`, holding the AWS collectors and those of every source `scope` configures.',
      ),
    scheduleTimezone: z
      .string()
      .min(1)
      .default('UTC')
      .describe('IANA time zone of cron expressions, e.g. Europe/Paris.'),
    digestSchedule: scheduleExpression
      .default('rate(1 hour)')
      .describe('When the digest function signs the digests that became due (the digest chain).'),
    summarySchedule: scheduleExpression
      .default('cron(0 8 * * ? *)')
      .describe(
        'When the alert topic gets the daily summary of every control still failing, without evidence or due for manual evidence (in scheduleTimezone).',
      ),
    securityHub: z
      .boolean()
      .default(false)
      .describe(
        'Also import failing controls into AWS Security Hub as findings (resolved on recovery). Security Hub must be enabled in the stack’s account and region.',
      ),
    alertEmails: z
      .array(z.email('must be an e-mail address'))
      .default([])
      .describe('E-mail addresses subscribed to the alert topic (each must confirm the subscription).'),
    organization: z
      .strictObject({
        enabled: z
          .boolean()
          .default(false)
          .describe(
            'Collect from every ACTIVE account of the AWS Organization (the stack must be in the management or a delegated administrator account).',
          ),
        memberRoleName: z
          .string()
          .regex(/^[\w+=,.@-]{1,64}$/, 'must be an IAM role name')
          .default('ProoflineMember')
          .describe('Name of the read-only role the member role stack creates in every account.'),
        externalId: z
          .string()
          .regex(/^[\w+=,.@:/-]{2,1224}$/, 'must be 2–1224 characters of letters, digits and +=,.@:/-')
          .optional()
          .describe(
            'External id the collector passes when it assumes the member role. Required when collecting from other accounts.',
          ),
      })
      .prefault({})
      .describe('Cross-account collection.'),
    accounts: z
      .array(accountId)
      .default([])
      .describe(
        'Accounts to collect from when `organization.enabled` is false. Default: only the account the stack is in.',
      ),
    regions: z
      .array(regionName)
      .min(1)
      .optional()
      .describe('Regions regional collectors read. Default: `scope.aws.regions`, else the deploy region.'),
    concurrency: z
      .strictObject({
        accounts: z.int().min(1).max(1000).default(10).describe('Accounts collected at the same time.'),
        perAccount: z
          .int()
          .min(1)
          .max(40)
          .default(4)
          .describe('Collections (collector × region) at the same time within one account.'),
        sources: z
          .int()
          .min(1)
          .max(40)
          .default(4)
          .describe('Collectors of sources other than AWS (GitHub, identity providers) at the same time.'),
      })
      .prefault({})
      .describe(
        'Bounds on the fan-out; at most `accounts × perAccount` AWS collect functions and `sources` source functions run at once.',
      ),
    auditorPrincipals: z
      .array(
        z
          .string()
          .regex(
            /^arn:aws[a-z-]*:iam::\d{12}:(root|role\/[\w+=,.@/-]+|user\/[\w+=,.@/-]+)$/,
            'must be an IAM role, user or account root ARN',
          ),
      )
      .default([])
      .describe(
        'Who may assume the auditor role (read exports/ and the public key, call the export URL). Default: the account itself, i.e. whoever its IAM policies allow.',
      ),
    exportUrlMinutes: z
      .int()
      .min(1)
      .max(60)
      .default(15)
      .describe('How long a presigned export download URL stays valid (at most 60 minutes).'),
    exports: z
      .strictObject({
        expireDays: z
          .int()
          .min(1)
          .max(3650)
          .default(30)
          .describe(
            'Days an archive (or a daily report) stays in the exports bucket before it expires. Exports are copies: the evidence they hold stays locked in the evidence bucket.',
          ),
        concurrency: z
          .int()
          .min(1)
          .max(20)
          .default(2)
          .describe(
            'Archives built at the same time (the export function’s reserved concurrency); further requests are refused with 429 until one finishes.',
          ),
        perHour: z
          .int()
          .min(1)
          .max(1000)
          .default(20)
          .describe(
            'Archives the export function builds in any hour; further requests are refused with 429.',
          ),
      })
      .prefault({})
      .describe('Bounds on the auditor’s exports: how long they are kept and how many are built.'),
    tags: z
      .record(z.string().min(1).max(128), z.string().max(256))
      .default({})
      .describe('Tags applied to every resource.'),
  })
  .superRefine((deploy, ctx) => {
    const crossAccount = deploy.organization.enabled || deploy.accounts.length > 0;
    if (crossAccount && !deploy.organization.externalId) {
      ctx.addIssue({
        code: 'custom',
        path: ['organization', 'externalId'],
        message: 'is required when collecting from other accounts (organization.enabled or accounts)',
      });
    }
    if (deploy.organization.enabled && deploy.accounts.length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['accounts'],
        message: 'must be empty when organization.enabled is true (every ACTIVE account is collected)',
      });
    }
  });
export type DeployConfig = z.infer<typeof deploySchema>;

/**
 * The top of `proofline.config.yaml`. `scope` is the scope statement: one section per source, each validated
 * by that source's connector. Other sections belong to the features that read them.
 */
const days = (value: number, what: string) =>
  z
    .int()
    .min(1)
    .max(3650)
    .default(value)
    .describe(`Days to fix a failing control whose most severe failure is ${what}.`);

/** How alerts judge urgency: a failing control is overdue once its severity's days have passed since it failed. */
export const alertsSchema = z.strictObject({
  dueDays: z
    .strictObject({
      critical: days(7, 'critical'),
      high: days(30, 'high'),
      medium: days(90, 'medium'),
      low: days(180, 'low'),
    })
    .prefault({})
    .describe('Due dates by severity; `alerts --digest` lists overdue failures first.'),
  reportUrl: z
    .url({ protocol: /^https?$/ })
    .optional()
    .describe(
      'Where owners read the latest report (proofline report); every owner message ends with it. Default: the commands that show the details.',
    ),
});
export type AlertsConfig = z.infer<typeof alertsSchema>;

/** `exceptions:` — how long an exception may run. */
export const exceptionsSchema = z.strictObject({
  maxDays: z
    .int()
    .positive()
    .max(3650)
    .default(DEFAULT_MAX_EXCEPTION_DAYS)
    .describe('The longest an exception may run, in days.'),
});

/** `isms:` — how the ISMS records are judged (core/isms/). */
export const ismsSchema = z.strictObject({
  soaMaxAgeDays: z
    .int()
    .positive()
    .max(3650)
    .default(DEFAULT_SOA_MAX_AGE_DAYS)
    .describe(
      'An SoA approval older than this many days is stale: a governance gap until it is approved again.',
    ),
  autoNonconformities: z
    .boolean()
    .default(true)
    .describe(
      "Open a nonconformity for a control failing past its severity's due date (`alerts.dueDays`) when `proofline isms record` or `nc sync` runs.",
    ),
});

/** Uploads are embedded in one artifact (base64), so their size is capped (default 25 MiB). */
export const DEFAULT_MAX_UPLOAD_BYTES = 25 * 1024 * 1024;
/** `uploads:` — manual evidence files. */
export const uploadsSchema = z.strictObject({
  maxBytes: z
    .int()
    .positive()
    .max(1024 * 1024 * 1024)
    .default(DEFAULT_MAX_UPLOAD_BYTES)
    .describe('The largest file `evidence upload` accepts, in bytes.'),
});

/** The sources a scope statement can name (`manual` evidence has no section). */
export const SCOPE_SOURCES = ['aws', 'github', 'okta', 'entra', 'google', 'identity-center'] as const;

/** Names the unknown keys of a strict object or record, and the keys it knows. */
const unknownKeys =
  (known: readonly string[]) =>
  (issue: { code?: string; keys?: readonly PropertyKey[] }): string | undefined =>
    issue.code === 'unrecognized_keys'
      ? `unknown key ${(issue.keys ?? []).map((k) => `"${String(k)}"`).join(', ')} (known: ${known.join(', ')})`
      : undefined;

const sections = {
  /** The scope statement: one section per source, each validated by its connector when a command loads it. */
  scope: z
    .partialRecord(z.enum(SCOPE_SOURCES), z.unknown(), { error: unknownKeys(SCOPE_SOURCES) })
    .default({}),
  deploy: deploySchema.optional(),
  /** Thresholds the checks apply (see core/check-settings.ts). */
  checks: checkSettingsSchema,
  alerts: alertsSchema.optional(),
  exceptions: exceptionsSchema.prefault({}),
  uploads: uploadsSchema.prefault({}),
  isms: ismsSchema.prefault({}),
};

/** The whole file; an unknown key (a typo such as `scop:` or `awss:`) is refused, never ignored. */
export const configSchema = z.strictObject(sections, { error: unknownKeys(Object.keys(sections)) });
export type ProoflineConfig = z.infer<typeof configSchema>;

/** The alerts section with every default applied (an absent section is all defaults). */
export function alertSettings(config: Pick<ProoflineConfig, 'alerts'>): AlertsConfig {
  return config.alerts ?? alertsSchema.parse({});
}

/** The deploy section with every default applied (an absent section is all defaults). */
export function deploySettings(config: ProoflineConfig): DeployConfig {
  return config.deploy ?? deploySchema.parse({});
}
