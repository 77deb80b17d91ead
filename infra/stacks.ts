import { CfnOutput, Stack, type StackProps, Tags } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { Proofline, type ProoflineProps } from './proofline.ts';

export interface ProoflineStackProps extends StackProps {
  readonly proofline: ProoflineProps;
}

/** The main stack: the Proofline construct and its outputs. */
export class ProoflineStack extends Stack {
  readonly proofline: Proofline;

  constructor(scope: Construct, id: string, props: ProoflineStackProps) {
    super(scope, id, {
      description: 'Proofline: continuous compliance evidence (SOC 2, ISO/IEC 27001:2022)',
      ...props,
    });
    const p = new Proofline(this, 'Proofline', props.proofline);
    this.proofline = p;
    const out = (id: string, value: string, description: string) =>
      new CfnOutput(this, id, { value, description });
    out(
      'EvidenceBucketName',
      p.storage.evidenceBucket.bucketName,
      'Evidence bucket (Object Lock, COMPLIANCE mode)',
    );
    out(
      'ExportsBucketName',
      p.storage.exportsBucket.bucketName,
      'Exports bucket: auditor archives and daily reports (no Object Lock; they expire)',
    );
    out('IndexTableName', p.storage.table.tableName, 'Evidence index table');
    out('SigningKeyId', p.storage.signingKey.keyId, 'KMS key that signs digests and exports');
    out(
      'StoreSpec',
      `s3://${p.storage.evidenceBucket.bucketName}?table=${p.storage.table.tableName}&key=${p.storage.signingKey.keyId}`,
      'The --store value for the proofline CLI',
    );
    out(
      'CollectorRoleArn',
      p.collectorRole.roleArn,
      'The role the member roles trust (CollectorRoleArn parameter)',
    );
    out('StateMachineArn', p.stateMachine.stateMachineArn, 'Collection run state machine');
    out('AlertTopicArn', p.alerts.topic.topicArn, 'Alert topic');
    out('AuditorRoleArn', p.auditor.role.roleArn, 'Role auditors assume');
    out(
      'ExportUrl',
      p.auditor.exportUrl.url,
      'Export function URL (IAM auth): POST to build, GET ?key=exports/…',
    );
  }
}

export function applyTags(scope: Construct, tags: Readonly<Record<string, string>>): void {
  for (const [key, value] of Object.entries(tags)) Tags.of(scope).add(key, value);
}
