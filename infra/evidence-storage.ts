import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { PREFIX } from '../core/deployed.ts';
import {
  INDEX_TABLE,
  type IndexTableDesign,
  STORE_ACTIONS,
  type StoreOperation,
} from '../core/stores/index-table.ts';
import { keepParentLogicalIds } from './logical-ids.ts';

export interface EvidenceStorageProps {
  /** Object Lock retention (COMPLIANCE mode) of every evidence object, in days. */
  readonly retentionDays: number;
  /** Days an archive or report stays in the exports bucket. */
  readonly exportExpireDays: number;
}

type DataKeyService = 's3' | 'dynamodb' | 'sns';
type DataKeyAction = 'kms:Decrypt' | 'kms:GenerateDataKey';

const add = (grantee: iam.IGrantable, statement: iam.PolicyStatement) =>
  grantee.grantPrincipal.addToPrincipalPolicy(statement);

/**
 * The evidence: the locked bucket and its access-log bucket, the index table, the data key that encrypts them
 * and the signing key; with the grants that give a function exactly the store operations it uses. All of it
 * is retained when the stack is deleted.
 */
export class EvidenceStorage extends Construct {
  readonly dataKey: kms.Key;
  readonly signingKey: kms.Key;
  readonly logBucket: s3.Bucket;
  readonly evidenceBucket: s3.Bucket;
  /** Archives and reports: copies handed out, so unlocked and expiring (never under the evidence's lock). */
  readonly exportsBucket: s3.Bucket;
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, props: EvidenceStorageProps) {
    super(scope, id);
    this.dataKey = this.newDataKey();
    this.signingKey = new kms.Key(this, 'SigningKey', {
      description: 'Proofline: signs the digest chain and export manifests (ECDSA P-256, SHA-256)',
      keySpec: kms.KeySpec.ECC_NIST_P256,
      keyUsage: kms.KeyUsage.SIGN_VERIFY,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.logBucket = new s3.Bucket(this, 'AccessLogBucket', {
      // S3 server access logs can only be delivered to a bucket with SSE-S3.
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [
        { id: 'expire-access-logs', expiration: Duration.days(Math.max(props.retentionDays, 400)) },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.evidenceBucket = new s3.Bucket(this, 'EvidenceBucket', {
      objectLockEnabled: true,
      objectLockDefaultRetention: s3.ObjectLockRetention.compliance(Duration.days(props.retentionDays)),
      ...this.privateBucket('evidence-bucket/'),
      // The one lifecycle rule cleans up the parts of uploads that never completed: incomplete uploads are not
      // objects, so nothing Object Lock keeps can expire.
      lifecycleRules: [
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.exportsBucket = this.newExportsBucket(props.exportExpireDays);
    this.table = this.newIndexTable();
    keepParentLogicalIds(this);
  }

  /** What the evidence and exports buckets share: versioned, SSE-KMS with the data key, private, TLS-only, logged. */
  private privateBucket(logPrefix: string): s3.BucketProps {
    return {
      versioned: true,
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.dataKey,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: logPrefix,
    };
  }

  private newDataKey(): kms.Key {
    const key = new kms.Key(this, 'DataKey', {
      description: 'Proofline: encrypts evidence, the index table and the alert topic',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // CloudWatch alarms publish to the encrypted alert topic.
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsPublishToAlertTopic',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
    return key;
  }

  /**
   * Where the export function writes archives and the summary function reports. Without Object Lock: an
   * archive is a copy of locked evidence, and under the evidence bucket's default retention every request would
   * leave an undeletable object for `retentionDays`. TLS-only, SSE-KMS with the data key, versioned,
   * access-logged; every object expires after `expireDays`, a replaced version a day later.
   */
  private newExportsBucket(expireDays: number): s3.Bucket {
    return new s3.Bucket(this, 'ExportsBucket', {
      ...this.privateBucket('exports-bucket/'),
      lifecycleRules: [
        {
          id: 'expire-exports',
          expiration: Duration.days(expireDays),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
        {
          id: 'remove-expired-versions',
          noncurrentVersionExpiration: Duration.days(1),
          expiredObjectDeleteMarker: true,
        },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  /** The index table as core/stores/index-table.ts designs it. */
  private newIndexTable(): dynamodb.Table {
    const { key, globalIndexes }: IndexTableDesign = INDEX_TABLE;
    const table = new dynamodb.Table(this, 'IndexTable', {
      partitionKey: { name: key.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: key.sortKey, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.dataKey,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const index of globalIndexes) {
      table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: dynamodb.AttributeType.STRING },
        sortKey: { name: index.sortKey, type: dynamodb.AttributeType.STRING },
        ...(index.include
          ? { projectionType: dynamodb.ProjectionType.INCLUDE, nonKeyAttributes: [...index.include] }
          : { projectionType: dynamodb.ProjectionType.ALL }),
      });
    }
    return table;
  }

  /** Use of the data key through AWS services (S3, DynamoDB, SNS), never directly. */
  useDataKey(services: readonly DataKeyService[], actions: readonly DataKeyAction[]): iam.PolicyStatement {
    const verb = actions.includes('kms:GenerateDataKey') ? 'Use' : 'Decrypt';
    return new iam.PolicyStatement({
      sid: `${verb}DataKeyVia${services.map((s) => s.toUpperCase()).join('')}`,
      actions: [...actions],
      resources: [this.dataKey.keyArn],
      conditions: {
        StringEquals: {
          'kms:ViaService': services.map((s) => `${s}.${Stack.of(this).region}.amazonaws.com`),
        },
      },
    });
  }

  /**
   * The store's S3 + DynamoDB access for the operations a function uses (STORE_ACTIONS in
   * core/stores/index-table.ts): object actions on their prefixes, index actions on the table (and its indexes
   * when it queries), listing the bucket, and the data key as S3 and DynamoDB use it for those calls.
   */
  grantStore(grantee: iam.IGrantable, operations: readonly StoreOperation[]): void {
    const access = operations.map((o) => STORE_ACTIONS[o] as (typeof STORE_ACTIONS)[StoreOperation]);
    const prefixes = new Map<string, Set<string>>();
    for (const a of access)
      for (const [prefix, actions] of Object.entries('objects' in a ? a.objects : {}))
        for (const action of actions) prefixes.set(action, (prefixes.get(action) ?? new Set()).add(prefix));
    const sids: Record<string, string> = {
      's3:GetObject': 'ReadEvidence',
      's3:PutObject': 'WriteEvidence',
      's3:PutObjectRetention': 'LockEvidence',
    };
    for (const [action, on] of prefixes)
      add(
        grantee,
        new iam.PolicyStatement({
          sid: sids[action],
          actions: [action],
          resources: [...on].map((p) => this.evidenceBucket.arnForObjects(`${p}*`)),
        }),
      );
    if (access.some((a) => 'list' in a))
      add(
        grantee,
        new iam.PolicyStatement({
          sid: 'ListEvidence',
          actions: ['s3:ListBucket'],
          resources: [this.evidenceBucket.bucketArn],
        }),
      );
    const index = [...new Set(access.flatMap((a) => ('index' in a ? [...a.index] : [])))];
    if (index.length) add(grantee, this.indexStatement(index));
    // S3 decrypts what it returns and generates a data key for what it stores; DynamoDB decrypts the table key.
    const services = [
      ...(prefixes.size ? (['s3'] as const) : []),
      ...(index.length ? (['dynamodb'] as const) : []),
    ];
    add(grantee, this.useDataKey(services, ['kms:Decrypt']));
    if (prefixes.has('s3:PutObject')) add(grantee, this.useDataKey(['s3'], ['kms:GenerateDataKey']));
  }

  private indexStatement(index: readonly string[]): iam.PolicyStatement {
    const reads = new Set<string>(STORE_ACTIONS.readEvidence.index);
    return new iam.PolicyStatement({
      sid: index.every((a) => reads.has(a)) ? 'ReadIndex' : 'UseIndex',
      actions: [...index],
      resources: [
        this.table.tableArn,
        ...(index.includes('dynamodb:Query') ? [`${this.table.tableArn}/index/*`] : []),
      ],
    });
  }

  /** Sign with the signing key (digests, archive manifests) and read its public key. */
  grantSign(grantee: iam.IGrantable, sid: string): void {
    this.grantSigningKey(grantee, sid, ['kms:Sign', 'kms:GetPublicKey', 'kms:DescribeKey']);
  }

  /** Read the public signing key (to verify archives and digests offline). */
  grantReadPublicKey(grantee: iam.IGrantable): void {
    this.grantSigningKey(grantee, 'ReadPublicKey', ['kms:GetPublicKey', 'kms:DescribeKey']);
  }

  private grantSigningKey(grantee: iam.IGrantable, sid: string, actions: string[]): void {
    add(grantee, new iam.PolicyStatement({ sid, actions, resources: [this.signingKey.keyArn] }));
  }

  /** Read exports/ (and only exports/) of the exports bucket, through S3. */
  grantExportRead(grantee: iam.IGrantable): void {
    add(
      grantee,
      new iam.PolicyStatement({
        sid: 'ReadExports',
        actions: ['s3:GetObject'],
        resources: [this.exportsBucket.arnForObjects(`${PREFIX.exports}*`)],
      }),
    );
    add(
      grantee,
      new iam.PolicyStatement({
        sid: 'ListExports',
        actions: ['s3:ListBucket'],
        resources: [this.exportsBucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${PREFIX.exports}*`] } },
      }),
    );
    add(grantee, this.useDataKey(['s3'], ['kms:Decrypt']));
  }

  /**
   * Write objects under `prefix` of the exports bucket (`multipart`: archives, whose aborted upload must leave
   * no part behind), stored SSE-KMS with the data key like everything Proofline stores.
   */
  grantExportWrite(
    grantee: iam.IGrantable,
    write: { prefix: string; sid: string; multipart?: boolean },
  ): void {
    add(
      grantee,
      new iam.PolicyStatement({
        sid: write.sid,
        actions: ['s3:PutObject', ...(write.multipart ? ['s3:AbortMultipartUpload'] : [])],
        resources: [this.exportsBucket.arnForObjects(`${write.prefix}*`)],
      }),
    );
    // The object (each part of it) is encrypted with a data key.
    add(grantee, this.useDataKey(['s3'], ['kms:GenerateDataKey']));
  }
}
