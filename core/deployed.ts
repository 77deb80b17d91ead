/**
 * Names the deployed functions and the stack that creates them agree on: environment variables and
 * CloudWatch metrics. One definition, so an alarm can never watch a metric no function emits.
 */
export const ENV = {
  /** A whole store spec (`s3://…` or a folder); overrides the three below (local runs and tests). */
  store: 'PROOFLINE_STORE',
  bucket: 'EVIDENCE_BUCKET',
  table: 'INDEX_TABLE',
  signingKey: 'SIGNING_KEY_ID',
  retentionDays: 'RETENTION_DAYS',
  alertTopic: 'ALERT_TOPIC_ARN',
  organization: 'ORGANIZATION_ENABLED',
  accounts: 'ACCOUNTS',
  regions: 'REGIONS',
  memberRoleName: 'MEMBER_ROLE_NAME',
  externalId: 'MEMBER_EXTERNAL_ID',
  exportUrlSeconds: 'EXPORT_URL_SECONDS',
  /** The unlocked, expiring bucket archives and reports are written to. */
  exportsBucket: 'EXPORTS_BUCKET',
  /** Archives the export function builds per hour at most. */
  exportsPerHour: 'EXPORTS_PER_HOUR',
  /** The deployed schedules that are not the collectors' defaults, JSON `{ "<expression>": ["<collector id>", …] }`. */
  schedules: 'COLLECTOR_SCHEDULES',
  /** The config's `checks` section (thresholds the checks apply), JSON. */
  checkSettings: 'CHECK_SETTINGS',
  /** The config's `alerts` section (due days by severity), JSON. */
  alertSettings: 'ALERT_SETTINGS',
  /** The config's `isms` section (how the ISMS records are judged, e.g. the SoA approval's allowed age), JSON. */
  ismsSettings: 'ISMS_SETTINGS',
  /** The account whose Security Hub receives findings; unset: no Security Hub delivery. */
  securityHubAccount: 'SECURITY_HUB_ACCOUNT',
  /** A source function's `scope.<source>` section as JSON: secret ARNs, never secrets. */
  sourceConfig: 'SOURCE_CONFIG',
  /** The plan function's scopes of each deployed source other than AWS: JSON `{ "<source>": [Scope…] }`. */
  sourceScopes: 'SOURCE_SCOPES',
} as const;

export const TELEMETRY = {
  namespace: 'Proofline',
  service: 'proofline',
  metrics: {
    /** Emitted by plan, one per run, with the `group` dimension: the missed-schedule alarms watch it. */
    runsStarted: 'RunsStarted',
    collections: 'Collections',
    collectionErrors: 'CollectionErrors',
    /** A collection the source kept throttling after the SDK's own retries. */
    collectionThrottled: 'CollectionThrottled',
    controlsFailing: 'ControlsFailing',
    transitions: 'ControlTransitions',
    exportsBuilt: 'ExportsBuilt',
  },
  groupDimension: 'group',
} as const;

/** The prefixes of the evidence bucket, and those of the exports bucket (`exports/`, `reports/`). */
export const PREFIX = {
  evidence: 'evidence/',
  findings: 'findings/',
  digests: 'digests/',
  exports: 'exports/',
  reports: 'reports/',
} as const;

/** Where the summary function writes the HTML report in the exports bucket: the latest, and one per day. */
export const REPORT_KEYS = {
  latest: `${PREFIX.reports}latest.html`,
  daily: (day: string) => `${PREFIX.reports}${day}.html`,
} as const;
