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

/** The prefixes of the evidence bucket. */
export const PREFIX = {
  evidence: 'evidence/',
  findings: 'findings/',
  digests: 'digests/',
  exports: 'exports/',
} as const;
