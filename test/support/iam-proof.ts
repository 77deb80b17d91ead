import type { Template } from 'aws-cdk-lib/assertions';
import type { AwsCall } from './aws-calls.ts';

/**
 * What one recorded AWS call needs from IAM: an action on a resource, with the request context its
 * conditions see. `implied` marks an action the call causes without being itself an SDK call (S3, DynamoDB
 * and SNS calling KMS with the caller's authority; S3 checking Object Lock headers against
 * s3:PutObjectRetention).
 */
export interface Need {
  readonly action: string;
  /** An ARN, or `*` for actions without resource-level permissions. */
  readonly resource: string;
  readonly context?: Readonly<Record<string, string>>;
  /** The call that needs it, e.g. `PutObject (Object Lock headers)`. */
  readonly why: string;
  readonly implied?: true;
  /** The recorded call; absent for an action a collector declares. */
  readonly call?: AwsCall;
}

/** Where the calls ran: the account, and which KMS key encrypts a bucket, table or topic (by its ARN). */
export interface Deployment {
  readonly account: string;
  readonly keyOf: (resourceArn: string) => string | undefined;
}

type Rule = (call: AwsCall, at: Where) => Omit<Need, 'call'>[];
interface Where extends Deployment {
  readonly region: string;
  readonly arn: (service: string, resource: string, global?: boolean) => string;
}

const str = (value: unknown) => (typeof value === 'string' ? value : '');
const s3Bucket = (call: AwsCall) => `arn:aws:s3:::${str(call.input.Bucket)}`;
const s3Object = (call: AwsCall) => `${s3Bucket(call)}/${str(call.input.Key)}`;
const tableArn = (at: Where, table: string) => at.arn('dynamodb', `table/${table}`);
const keyArn = (at: Where, key: string) => (key.startsWith('arn:') ? key : at.arn('kms', `key/${key}`));

/** The KMS use a service makes with the caller's authority when the resource is encrypted with a customer key. */
function viaService(
  at: Where,
  service: 's3' | 'dynamodb' | 'sns',
  encrypted: string,
  actions: readonly string[],
  why: string,
): Omit<Need, 'call'>[] {
  const key = at.keyOf(encrypted);
  if (!key) return [];
  return actions.map((action) => ({
    action,
    resource: key,
    context: { 'kms:ViaService': `${service}.${at.region}.amazonaws.com` },
    why,
    implied: true,
  }));
}

/** A DynamoDB item call on one table (and index): its action, and the table key's decryption by DynamoDB. */
const item =
  (action: string): Rule =>
  (call, at) => {
    const tables = call.input.RequestItems
      ? Object.keys(call.input.RequestItems as object)
      : [str(call.input.TableName)];
    return tables.flatMap((table) => {
      const index = str(call.input.IndexName);
      const resource = tableArn(at, table) + (index ? `/index/${index}` : '');
      return [
        { action, resource, why: call.command },
        ...viaService(at, 'dynamodb', tableArn(at, table), ['kms:Decrypt'], `${call.command} (table key)`),
      ];
    });
  };

const TRANSACT_ITEM_ACTIONS: Record<string, string> = {
  Put: 'dynamodb:PutItem',
  Update: 'dynamodb:UpdateItem',
  Delete: 'dynamodb:DeleteItem',
  ConditionCheck: 'dynamodb:ConditionCheckItem',
};

/** Calls whose action is not simply `<service>:<operation>`, and every call that writes. */
const TABLE: Record<string, Rule> = {
  // ── S3: the evidence bucket (SSE-KMS with the data key) ──
  'S3:PutObject': (call, at) => [
    { action: 's3:PutObject', resource: s3Object(call), why: 'PutObject' },
    ...(call.input.ObjectLockMode || call.input.ObjectLockRetainUntilDate
      ? [
          {
            action: 's3:PutObjectRetention',
            resource: s3Object(call),
            why: 'PutObject (Object Lock headers)',
            implied: true as const,
          },
        ]
      : []),
    ...viaService(at, 's3', s3Bucket(call), ['kms:GenerateDataKey'], 'PutObject (SSE-KMS)'),
  ],
  'S3:CreateMultipartUpload': (call, at) => [
    { action: 's3:PutObject', resource: s3Object(call), why: 'CreateMultipartUpload' },
    ...viaService(at, 's3', s3Bucket(call), ['kms:GenerateDataKey'], 'CreateMultipartUpload (SSE-KMS)'),
  ],
  'S3:UploadPart': (call) => [{ action: 's3:PutObject', resource: s3Object(call), why: 'UploadPart' }],
  'S3:CompleteMultipartUpload': (call, at) => [
    { action: 's3:PutObject', resource: s3Object(call), why: 'CompleteMultipartUpload' },
    ...viaService(at, 's3', s3Bucket(call), ['kms:Decrypt'], 'CompleteMultipartUpload (SSE-KMS parts)'),
  ],
  'S3:AbortMultipartUpload': (call) => [
    { action: 's3:AbortMultipartUpload', resource: s3Object(call), why: 'AbortMultipartUpload' },
  ],
  'S3:GetObject': (call, at) => [
    {
      action: 's3:GetObject',
      resource: s3Object(call),
      why: call.presigned ? 'GetObject (presigned download URL)' : 'GetObject',
    },
    ...viaService(
      at,
      's3',
      s3Bucket(call),
      ['kms:Decrypt'],
      call.presigned ? 'GetObject (presigned URL, SSE-KMS)' : 'GetObject (SSE-KMS)',
    ),
  ],
  // HEAD reads metadata only: no KMS decryption.
  'S3:HeadObject': (call) => [{ action: 's3:GetObject', resource: s3Object(call), why: 'HeadObject' }],
  'S3:ListObjectsV2': (call) => [
    {
      action: 's3:ListBucket',
      resource: s3Bucket(call),
      context: { 's3:prefix': str(call.input.Prefix) },
      why: 'ListObjectsV2',
    },
  ],
  // ── S3: the collectors' reads of every bucket ──
  'S3:ListBuckets': () => [{ action: 's3:ListAllMyBuckets', resource: '*', why: 'ListBuckets' }],
  'S3:GetBucketEncryption': (call) => [
    { action: 's3:GetEncryptionConfiguration', resource: s3Bucket(call), why: 'GetBucketEncryption' },
  ],
  'S3:GetPublicAccessBlock': (call) => [
    { action: 's3:GetBucketPublicAccessBlock', resource: s3Bucket(call), why: 'GetPublicAccessBlock' },
  ],
  'S3Control:GetPublicAccessBlock': () => [
    { action: 's3:GetAccountPublicAccessBlock', resource: '*', why: 'GetPublicAccessBlock (account)' },
  ],
  // ── DynamoDB: the index table (encrypted with the data key) ──
  'DynamoDB:GetItem': item('dynamodb:GetItem'),
  'DynamoDB:BatchGetItem': item('dynamodb:BatchGetItem'),
  'DynamoDB:Query': item('dynamodb:Query'),
  'DynamoDB:PutItem': item('dynamodb:PutItem'),
  'DynamoDB:UpdateItem': item('dynamodb:UpdateItem'),
  'DynamoDB:BatchWriteItem': item('dynamodb:BatchWriteItem'),
  // No IAM action of its own: each item needs its own action on its table.
  'DynamoDB:TransactWriteItems': (call, at) =>
    ((call.input.TransactItems ?? []) as Record<string, { TableName?: string }>[]).flatMap((entry) =>
      Object.entries(entry).flatMap(([kind, op]) => {
        const action = TRANSACT_ITEM_ACTIONS[kind];
        if (!action) throw new Error(`TransactWriteItems: no IAM action known for a ${kind} item`);
        const table = str(op.TableName);
        return [
          { action, resource: tableArn(at, table), why: `TransactWriteItems (${kind} item)` },
          ...viaService(
            at,
            'dynamodb',
            tableArn(at, table),
            ['kms:Decrypt'],
            'TransactWriteItems (table key)',
          ),
        ];
      }),
    ),
  // ── KMS: the signing key ──
  'KMS:Sign': (call, at) => [
    { action: 'kms:Sign', resource: keyArn(at, str(call.input.KeyId)), why: 'Sign' },
  ],
  'KMS:DescribeKey': (call, at) => [
    { action: 'kms:DescribeKey', resource: keyArn(at, str(call.input.KeyId)), why: 'DescribeKey' },
  ],
  'KMS:GetPublicKey': (call, at) => [
    { action: 'kms:GetPublicKey', resource: keyArn(at, str(call.input.KeyId)), why: 'GetPublicKey' },
  ],
  // ── alerts ──
  'SNS:Publish': (call, at) => [
    { action: 'sns:Publish', resource: str(call.input.TopicArn), why: 'Publish' },
    ...viaService(
      at,
      'sns',
      str(call.input.TopicArn),
      ['kms:GenerateDataKey', 'kms:Decrypt'],
      'Publish (encrypted topic)',
    ),
  ],
  'EventBridge:PutEvents': (call, at) => {
    const buses = new Set(
      ((call.input.Entries ?? []) as { EventBusName?: string }[]).map((e) => e.EventBusName ?? 'default'),
    );
    return [...buses].map((bus) => ({
      action: 'events:PutEvents',
      resource: bus.startsWith('arn:') ? bus : at.arn('events', `event-bus/${bus}`),
      why: 'PutEvents',
    }));
  },
  'SecurityHub:BatchImportFindings': (call) => {
    const products = new Set(
      ((call.input.Findings ?? []) as { ProductArn?: string }[]).map((f) => f.ProductArn),
    );
    return [...products].map((product) => ({
      action: 'securityhub:BatchImportFindings',
      resource: str(product),
      why: 'BatchImportFindings',
    }));
  },
  // ── credentials ──
  'SecretsManager:GetSecretValue': (call) => [
    { action: 'secretsmanager:GetSecretValue', resource: str(call.input.SecretId), why: 'GetSecretValue' },
  ],
  'STS:AssumeRole': (call) => [
    { action: 'sts:AssumeRole', resource: str(call.input.RoleArn), why: 'AssumeRole' },
  ],
  // Answers for any credentials: no IAM permission exists for it.
  'STS:GetCallerIdentity': () => [],
};

/** Operations that only read: unless the table says otherwise, their action is `<prefix>:<operation>`. */
const READ_OPERATION = /^(Get|List|Describe|BatchGet|Generate(CredentialReport)$)/;

/** IAM service prefixes that differ from the SigV4 signing name. */
const IAM_PREFIX: Record<string, string> = { monitoring: 'cloudwatch', email: 'ses' };

/** S3 bucket reads whose IAM action is named differently from the operation. */
const S3_BUCKET_READS: Record<string, string> = {
  GetBucketLifecycleConfiguration: 's3:GetLifecycleConfiguration',
  GetObjectLockConfiguration: 's3:GetBucketObjectLockConfiguration',
  GetBucketReplication: 's3:GetReplicationConfiguration',
  GetBucketCors: 's3:GetBucketCORS',
  GetBucketNotificationConfiguration: 's3:GetBucketNotification',
  GetBucketAccelerateConfiguration: 's3:GetAccelerateConfiguration',
};

/** The IAM actions (and resources) one recorded call needs, by the table above. */
export function needsOf(call: AwsCall, deployment: Deployment): Need[] {
  const at: Where = {
    ...deployment,
    region: call.region,
    arn: (service, resource, global = false) =>
      `arn:aws:${service}:${global ? '' : call.region}:${deployment.account}:${resource}`,
  };
  const rule = TABLE[`${call.client}:${call.command}`];
  if (rule) return rule(call, at).map((need) => ({ ...need, call }));
  const renamed = call.client === 'S3' ? S3_BUCKET_READS[call.command] : undefined;
  if (renamed) return [{ action: renamed, resource: s3Bucket(call), why: call.command, call }];
  // API Gateway's management API is authorized by HTTP verb: every read is apigateway:GET.
  if (call.service === 'apigateway' && READ_OPERATION.test(call.command))
    return [{ action: 'apigateway:GET', resource: '*', why: call.command, call }];
  if (READ_OPERATION.test(call.command)) {
    const prefix = IAM_PREFIX[call.service] ?? call.service;
    return [{ action: `${prefix}:${call.command}`, resource: '*', why: call.command, call }];
  }
  throw new Error(
    `${call.client}:${call.command}: no IAM action known for this call; add it to the table in test/support/iam-proof.ts`,
  );
}

// ── the synthesized policies ───────────────────────────────────────────────────────────────────────────

// biome-ignore lint/suspicious/noExplicitAny: synthesized CloudFormation
type Cfn = any;

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string | string[];
  readonly Resource: Cfn;
  readonly Condition?: Record<string, Record<string, Cfn>>;
}

/** Values for the template's references: `Ref` and `Fn::GetAtt` by logical id, and the pseudo parameters. */
export type Bindings = (logicalId: string, attribute: string) => string | undefined;

/** The logical id without the construct's `Proofline` prefix and hash: `EvidenceBucket`, `CollectRole`. */
export const shortId = (logicalId: string) => /^Proofline(.+?)[0-9A-F]{8}$/.exec(logicalId)?.[1] ?? logicalId;

/** A CloudFormation value with its intrinsic functions evaluated; an unbound reference stays `${Id.Attr}`. */
export function resolve(value: Cfn, bind: Bindings): string {
  if (typeof value === 'string') return value;
  if (value?.Ref) return bind(value.Ref, 'Ref') ?? `\${${shortId(value.Ref)}}`;
  if (value?.['Fn::GetAtt']) {
    const [id, attribute] = value['Fn::GetAtt'] as [string, string];
    return bind(id, attribute) ?? `\${${shortId(id)}.${attribute}}`;
  }
  if (value?.['Fn::Join']) {
    const [separator, parts] = value['Fn::Join'] as [string, Cfn[]];
    return parts.map((part) => resolve(part, bind)).join(separator);
  }
  throw new Error(`cannot evaluate ${JSON.stringify(value)} in a policy`);
}

/** The identity-policy statements of a role: its inline policies and every AWS::IAM::Policy attached to it. */
export function roleStatements(template: Template, roleId: string): PolicyStatement[] {
  const role = template.toJSON().Resources[roleId] as Cfn;
  if (role?.Type !== 'AWS::IAM::Role') throw new Error(`${roleId} is not a role of the template`);
  const inline = ((role.Properties.Policies ?? []) as Cfn[]).flatMap((p) => p.PolicyDocument.Statement);
  const attached = Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p: Cfn) => (p.Properties.Roles as Cfn[]).some((r) => r.Ref === roleId))
    .flatMap((p: Cfn) => p.Properties.PolicyDocument.Statement);
  return [...inline, ...attached];
}

/** The role a function runs with. */
export function functionRoleId(template: Template, functionId: string): string {
  const fn = template.toJSON().Resources[functionId] as Cfn;
  const role = fn?.Properties?.Role?.['Fn::GetAtt']?.[0];
  if (!role) throw new Error(`${functionId} is not a function with a role of the template`);
  return role;
}

const list = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);
const glob = (pattern: string) =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    's',
  );

function conditionsHold(
  conditions: PolicyStatement['Condition'],
  context: Readonly<Record<string, string>>,
  bind: Bindings,
): boolean {
  return Object.entries(conditions ?? {}).every(([operator, keys]) =>
    Object.entries(keys).every(([key, expected]) => {
      const actual = context[key];
      if (actual === undefined) return false;
      const values = list(expected).map((v: Cfn) => resolve(v, bind));
      switch (operator) {
        case 'StringEquals':
        case 'ArnEquals':
          return values.includes(actual);
        case 'StringLike':
        case 'ArnLike':
          return values.some((v) => glob(v).test(actual));
        case 'Bool':
          return values.includes(actual);
        default:
          return false; // an operator the proof does not know never counts as satisfied
      }
    }),
  );
}

/** One action of one statement: a grant. */
export interface Grant {
  readonly sid: string;
  readonly action: string;
  /** The statement's resources, with the stack's references shown as `${Id.Attr}`. */
  readonly resources: readonly string[];
  readonly used: Need[];
}

export interface RoleProof {
  /** Needs no statement allows: the deployed function would be denied. */
  readonly denied: Need[];
  readonly grants: Grant[];
}

/**
 * Evaluates each need against the role's statements (action and resource patterns with wildcards, condition
 * operators on the need's context; an explicit Deny wins), and records which grants the needs used.
 */
export function proveRole(
  statements: readonly PolicyStatement[],
  needs: readonly Need[],
  bind: Bindings,
  show: Bindings = () => undefined,
): RoleProof {
  const grants: Grant[] = [];
  const compiled = statements.map((s, i) => {
    const resources = list(s.Resource).map((r: Cfn) => resolve(r, bind));
    const shown = list(s.Resource).map((r: Cfn) => resolve(r, show));
    const own = list(s.Action).map((action) => {
      const grant: Grant = { sid: s.Sid ?? `#${i}`, action, resources: shown, used: [] };
      if (s.Effect === 'Allow') grants.push(grant);
      return { pattern: glob(action.toLowerCase()), grant };
    });
    return { statement: s, resources: resources.map(glob), actions: own };
  });
  const matching = (need: Need, effect: 'Allow' | 'Deny') =>
    compiled
      .filter((c) => c.statement.Effect === effect)
      .filter((c) => c.resources.some((r) => r.test(need.resource)))
      .filter((c) => conditionsHold(c.statement.Condition, need.context ?? {}, bind))
      .flatMap((c) => c.actions.filter((a) => a.pattern.test(need.action.toLowerCase())).map((a) => a.grant));
  const denied: Need[] = [];
  for (const need of needs) {
    const allowed = matching(need, 'Allow');
    if (allowed.length === 0 || matching(need, 'Deny').length > 0) denied.push(need);
    for (const grant of allowed) grant.used.push(need);
  }
  return { denied, grants };
}

/** `s3:PutObject on arn:…/evidence/x.json (PutObject)`: one line per denied need, for assertion messages. */
export const describeNeed = (need: Need) =>
  `${need.action} on ${need.resource}${need.context ? ` ${JSON.stringify(need.context)}` : ''} (${need.why})`;
