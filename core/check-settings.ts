import * as z from 'zod';

const tagSchema = (key: string, value: string, what: string) =>
  z
    .strictObject({
      key: z.string().min(1).max(128).default(key).describe('Tag key.'),
      value: z.string().max(256).default(value).describe('Tag value.'),
    })
    .prefault({})
    .describe(what);

/** `checks.aws.data`: thresholds of the AWS data-store and recovery checks (RDS, DynamoDB, Backup, EFS, ECR, Secrets Manager). */
export const awsDataSettingsSchema = z
  .strictObject({
    backupRetentionDays: z
      .int()
      .min(1)
      .max(36_500)
      .default(7)
      .describe(
        'Minimum days automated RDS backups and AWS Backup plan rules keep recovery points (AWS Backup rules without expiry pass).',
      ),
    production: tagSchema(
      'environment',
      'production',
      'The tag marking production databases, which must be Multi-AZ.',
    ),
    backupSelector: tagSchema(
      'backup',
      'true',
      'The tag marking resources that must be backed up: some AWS Backup plan must select resources by it.',
    ),
    customerManagedKeys: z
      .boolean()
      .default(false)
      .describe(
        'Require customer-managed KMS keys for DynamoDB tables, Backup vaults, ECR repositories and secrets; when false those checks record not_applicable.',
      ),
    vaultLock: z
      .boolean()
      .default(false)
      .describe('Require AWS Backup Vault Lock on every vault; when false the check records not_applicable.'),
    customerDataRetentionDays: z
      .int()
      .min(1)
      .max(36_500)
      .optional()
      .describe(
        'The longest the retention schedule keeps customer data, in days: the lifecycle rule of a bucket tagged as customer data (checks.aws.detection.customerDataTag) must expire objects within it. Unset, any expiration passes.',
      ),
    secretRotationDays: z
      .int()
      .min(1)
      .max(3650)
      .default(90)
      .describe('A secret must have been rotated (or created) within this many days.'),
    secretUnusedDays: z
      .int()
      .min(1)
      .max(3650)
      .default(90)
      .describe('A secret not read for this many days is reported as unused.'),
  })
  .prefault({});
export type AwsDataSettings = z.infer<typeof awsDataSettingsSchema>;

/** `checks.aws.detection`: threat detection, monitoring and permissions checks. */
export const awsDetectionSchema = z.strictObject({
  findingMaxAgeDays: z
    .int()
    .min(0)
    .default(30)
    .describe(
      'How long a high or critical finding of GuardDuty, Security Hub, Inspector, Macie may stay open, in days.',
    ),
  unusedRoleDays: z
    .int()
    .min(1)
    .default(90)
    .describe('An IAM role not used for longer than this many days (or never, and older) is unused.'),
  logRetentionMinDays: z
    .int()
    .min(1)
    .default(365)
    .describe('Minimum retention of CloudWatch log groups, in days (never-expire passes).'),
  customerDataTag: z
    .strictObject({ key: z.string().min(1), value: z.string() })
    .default({ key: 'data-classification', value: 'customer' })
    .describe(
      'The S3 bucket tag marking customer data: CloudTrail must record its object access and a lifecycle rule must expire its objects.',
    ),
  regionGuardrail: z
    .boolean()
    .default(true)
    .describe(
      'Whether an SCP restricting the regions (aws:RequestedRegion) is required in the organization.',
    ),
});
export type AwsDetectionSettings = z.infer<typeof awsDetectionSchema>;

/** `checks`: the thresholds checks apply, one block per area. */
export const checkSettingsSchema = z
  .strictObject({
    aws: z
      .strictObject({ data: awsDataSettingsSchema, detection: awsDetectionSchema.prefault({}) })
      .prefault({}),
  })
  .prefault({});
export type CheckSettings = z.infer<typeof checkSettingsSchema>;

export const DEFAULT_CHECK_SETTINGS: CheckSettings = checkSettingsSchema.parse(undefined);

/** The thresholds in force for a check: the context's, or every default. */
export const settingsOf = (context: { readonly settings?: CheckSettings }): CheckSettings =>
  context.settings ?? DEFAULT_CHECK_SETTINGS;
