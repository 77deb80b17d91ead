import { type CfnResource, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';

/** A reviewed reason for the IAM wildcards whose cdk-nag finding matches `finding`. */
export interface WildcardReason {
  readonly finding: RegExp;
  readonly reason: string;
}

/**
 * A CloudFormation reference as cdk-nag prints it in a finding id: `${` → `<`, GetAtt → `<Id.Attr>`,
 * Ref → `<Id>`, joins joined, anything else as JSON (mirrors cdk-nag's flattenCfnReference).
 */
export function flattenReference(node: unknown): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
  const o = node as Record<string, unknown>;
  if (o['Fn::Join']) {
    const [delimiter, items] = o['Fn::Join'] as [string, unknown[]];
    return items.map(flattenReference).join(delimiter);
  }
  if (o['Fn::Sub']) return flattenReference(o['Fn::Sub']);
  if (o['Fn::GetAtt']) {
    const [resource, attribute] = o['Fn::GetAtt'] as [unknown, unknown];
    return `<${flattenReference(resource)}.${flattenReference(attribute)}>`;
  }
  if (o['Fn::ImportValue']) return flattenReference(o['Fn::ImportValue']);
  if (o.Ref) return `<${flattenReference(o.Ref)}>`;
  return JSON.stringify(node);
}

interface Statement {
  Effect?: string;
  Action?: string | string[];
  Resource?: unknown;
}
const list = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** The IAM5 findings of a policy document: `Action::<a>` and `Resource::<r>` for every Allow with a `*`. */
export function wildcardFindings(document: { Statement?: Statement[] }): string[] {
  const findings = new Set<string>();
  for (const s of document.Statement ?? []) {
    if (s.Effect !== 'Allow') continue;
    for (const a of list(s.Action)) if (a.includes('*')) findings.add(`Action::${a}`);
    for (const r of list(s.Resource).map(flattenReference))
      if (r.includes('*')) findings.add(`Resource::${r}`);
  }
  return [...findings];
}

function policyDocuments(resource: CfnResource): { Statement?: Statement[] }[] {
  const stack = Stack.of(resource);
  if (resource instanceof iam.CfnPolicy) return [stack.resolve(resource.policyDocument)];
  if (resource instanceof iam.CfnRole) {
    const policies = (stack.resolve(resource.policies) ?? []) as { policyDocument: unknown }[];
    return policies.map((p) => stack.resolve(p.policyDocument));
  }
  return [];
}

/**
 * Acknowledges, on every IAM policy and role under `scope`, each wildcard finding (cdk-nag AwsSolutions-IAM5)
 * that a reviewed reason covers. A wildcard no reason covers stays a finding, so synth fails on it.
 */
export function acknowledgeWildcards(scope: IConstruct, reasons: readonly WildcardReason[]): void {
  for (const node of scope.node.findAll()) {
    if (!(node instanceof iam.CfnPolicy || node instanceof iam.CfnRole)) continue;
    for (const finding of policyDocuments(node).flatMap(wildcardFindings)) {
      const match = reasons.find((r) => r.finding.test(finding));
      if (match)
        Validations.of(node).acknowledge({ id: `AwsSolutions-IAM5[${finding}]`, reason: match.reason });
    }
  }
}

/** The reviewed reasons for the wildcards the Proofline construct and the member role need. */
export const WILDCARD_REASONS = {
  collectorReads: {
    finding: /^Resource::\*$/,
    reason:
      'The collectors read every resource of their kind in the account (List/Describe/Get*: most have no resource-level scoping). The actions are exactly the collectors’ declared permissions, tested to be read-only.',
  },
  evidencePrefix: {
    finding: /^Resource::<\w+\.Arn>\/(evidence|findings|digests|exports|reports)\/\*$/,
    reason:
      'Object access is limited to one prefix of the evidence or exports bucket; keys are content-addressed or name a period and time (evidence, archives, daily reports), so they cannot be listed in advance.',
  },
  tableIndexes: {
    finding: /^Resource::<\w+\.Arn>\/index\/\*$/,
    reason: 'Queries on the index table’s own global secondary indexes (core/stores/index-table.ts).',
  },
  functionVersions: {
    finding: /^Resource::<\w+\.Arn>:\*$/,
    reason:
      'Invoking this one function (any version or alias of it), as the CDK task and scheduler grants do.',
  },
  stepFunctionsLogDelivery: {
    finding: /^Resource::\*$/,
    reason:
      'CloudWatch Logs delivery for the state machine’s log group (logs:CreateLogDelivery, GetLogDelivery, …): these actions support no resource-level permissions.',
  },
  childExecutions: {
    finding: /^Resource::arn:<AWS::Partition>:states:[^:]+:<AWS::AccountId>:execution:.*\*$/,
    reason:
      'The distributed map starts, describes and stops the child executions of this state machine only.',
  },
  organizationListing: {
    finding: /^Resource::\*$/,
    reason: 'organizations:ListAccounts supports no resource-level permissions.',
  },
  memberRoleEveryAccount: {
    finding: /^Resource::arn:<AWS::Partition>:iam::\*:role\/[\w+=,.@-]+$/,
    reason:
      'The member role has the same name in every account of the organization; each trusts only this collector role, with the external id.',
  },
} as const satisfies Record<string, WildcardReason>;
