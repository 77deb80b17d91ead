import {
  CfnOutput,
  CfnParameter,
  CliCredentialsStackSynthesizer,
  Duration,
  Stack,
  type StackProps,
} from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { collectors as registry } from '../collectors/index.ts';
import type { AnyCollector } from '../core/collector.ts';
import { collectorPolicy } from '../core/permissions.ts';
import { acknowledgeWildcards, WILDCARD_REASONS } from './nag.ts';

export interface ProoflineMemberRoleStackProps extends StackProps {
  /**
   * Collectors whose declared permissions the role gets.
   * @default - every collector of the registry (collectors/index.ts)
   */
  readonly collectors?: readonly AnyCollector[];
  /**
   * Name of the role: the same in every account, since the collector derives its ARN from the account id.
   * @default 'ProoflineMember'
   */
  readonly memberRoleName?: string;
  /**
   * Default of the CollectorRoleArn parameter: the collector role of the main stack.
   * @default - none: the parameter must be given (e.g. as a StackSet parameter)
   */
  readonly collectorRoleArn?: string;
  /**
   * Default of the ExternalId parameter.
   * @default - none: the parameter must be given
   */
  readonly externalId?: string;
}

/**
 * The read-only role Proofline assumes in every collected account. Plain CloudFormation with parameters and no
 * assets, so the same template deploys with `cdk deploy` or as a StackSet across an organization.
 */
export class ProoflineMemberRoleStack extends Stack {
  readonly role: iam.Role;
  readonly policy: ReturnType<typeof collectorPolicy>;

  constructor(scope: Construct, id: string, props: ProoflineMemberRoleStackProps = {}) {
    super(scope, id, {
      description: 'Proofline: read-only role the Proofline collector assumes in this account',
      synthesizer: new CliCredentialsStackSynthesizer(),
      ...props,
    });
    const collectorRoleArn = new CfnParameter(this, 'CollectorRoleArn', {
      type: 'String',
      description: 'ARN of the Proofline collector role (output CollectorRoleArn of the main stack)',
      allowedPattern: '^arn:aws[a-z-]*:iam::\\d{12}:role/.+$',
      ...(props.collectorRoleArn ? { default: props.collectorRoleArn } : {}),
    });
    const externalId = new CfnParameter(this, 'ExternalId', {
      type: 'String',
      description:
        'External id the collector passes when assuming this role (deploy.organization.externalId)',
      allowedPattern: '^[\\w+=,.@:/-]{2,1224}$',
      noEcho: false,
      ...(props.externalId ? { default: props.externalId } : {}),
    });

    this.policy = collectorPolicy(props.collectors ?? registry);
    this.role = new iam.Role(this, 'MemberRole', {
      roleName: props.memberRoleName ?? 'ProoflineMember',
      description: 'Proofline read-only collection (the actions the collectors declare, nothing else)',
      assumedBy: new iam.ArnPrincipal(collectorRoleArn.valueAsString).withConditions({
        StringEquals: { 'sts:ExternalId': externalId.valueAsString },
      }),
      maxSessionDuration: Duration.hours(1),
      inlinePolicies: { ProoflineReadOnlyCollection: iam.PolicyDocument.fromJson(this.policy) },
    });
    acknowledgeWildcards(this.role, [WILDCARD_REASONS.collectorReads]);
    new CfnOutput(this, 'MemberRoleArn', { value: this.role.roleArn });
  }
}
