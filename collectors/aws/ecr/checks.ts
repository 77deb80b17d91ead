import { perResource } from '../../../core/collector.ts';
import { customerKeyCheck } from '../customer-keys.ts';
import { publicStatements } from '../shared/policy-document.ts';
import { isUnknown } from '../unknown.ts';
import type { EcrSnapshot, RepositorySnapshot } from './snapshot.ts';

const repositories = (s: EcrSnapshot) => s.repositories;
const arn = (r: RepositorySnapshot) => r.arn;

/** An ECR wildcard filter (`*` matches any characters) as a regular expression. */
const wildcard = (filter: string) =>
  new RegExp(
    `^${filter
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );

export const scanOnPush = perResource(
  {
    id: 'aws.ecr.scan-on-push',
    title: 'ECR images are scanned for vulnerabilities when pushed',
    severity: 'medium',
    remediation:
      'Turn on scan on push for the repository, or an enhanced scanning rule covering it (put-registry-scanning-configuration).',
    procedure:
      'Reads every repository (DescribeRepositories) and the registry scanning configuration (GetRegistryScanningConfiguration). Passes a repository with basic scan on push, or one an enhanced scanning rule (SCAN_ON_PUSH or CONTINUOUS_SCAN) matches by its filter.',
  },
  repositories,
  arn,
  (r, s) => {
    const registry = s.registryScanning;
    if (!isUnknown(registry) && registry.scanType === 'ENHANCED') {
      const rule = registry.rules.find((rule) => rule.filters.some((f) => wildcard(f).test(r.name)));
      return rule
        ? [true, `enhanced scanning (${rule.frequency})`]
        : [false, `repository ${r.name} matches no enhanced scanning rule`];
    }
    if (r.scanOnPush) return [true, 'basic scan on push'];
    return [
      false,
      isUnknown(registry)
        ? `repository ${r.name}: no scan on push, registry scanning unknown (${registry.unknown})`
        : `repository ${r.name} does not scan images on push`,
    ];
  },
);

export const tagImmutability = perResource(
  {
    id: 'aws.ecr.tag-immutability',
    title: 'ECR image tags are immutable',
    severity: 'medium',
    remediation: 'Set the repository’s tag mutability to IMMUTABLE (put-image-tag-mutability).',
    procedure:
      'Reads every repository’s imageTagMutability (DescribeRepositories). Passes IMMUTABLE or IMMUTABLE_WITH_EXCLUSION.',
  },
  repositories,
  arn,
  (r) => [
    r.tagMutability.startsWith('IMMUTABLE'),
    r.tagMutability.startsWith('IMMUTABLE')
      ? `tags ${r.tagMutability}`
      : `repository ${r.name}: a pushed tag can be overwritten (${r.tagMutability})`,
  ],
);

export const publicPolicy = perResource(
  {
    id: 'aws.ecr.public-policy',
    title: 'ECR repository policies do not grant access to everyone',
    severity: 'critical',
    remediation: 'Remove the statement allowing "*" or add a condition (e.g. aws:PrincipalOrgID) to it.',
    procedure:
      'Reads every repository policy (GetRepositoryPolicy). Passes a repository unless an Allow statement names the principal "*" without a condition; no policy passes.',
  },
  repositories,
  arn,
  (r) => {
    const open = publicStatements(r.policy);
    return open.length === 0
      ? [true, r.policy ? 'policy grants no anonymous access' : 'no repository policy']
      : [false, `repository ${r.name}: ${open.join(', ')} allow any principal without a condition`];
  },
);

export const lifecyclePolicy = perResource(
  {
    id: 'aws.ecr.lifecycle-policy',
    title: 'ECR repositories expire old images with a lifecycle policy',
    severity: 'low',
    remediation: 'Add a lifecycle policy expiring untagged and old images (put-lifecycle-policy).',
    procedure: 'Reads every repository’s lifecycle policy (GetLifecyclePolicy). Passes it when one is set.',
  },
  repositories,
  arn,
  (r) => [
    r.lifecyclePolicy,
    r.lifecyclePolicy ? 'lifecycle policy set' : `repository ${r.name} keeps every image forever`,
  ],
);

export const customerKey = customerKeyCheck(
  {
    id: 'aws.ecr.customer-key',
    title: 'ECR repositories are encrypted with a customer-managed KMS key (where required)',
    severity: 'medium',
    remediation:
      'Recreate the repository with --encryption-configuration encryptionType=KMS,kmsKey=<customer key>.',
    procedure:
      'Reads every repository’s encryptionConfiguration (DescribeRepositories) and the key’s manager (kms:DescribeKey). Passes one encrypted with a customer-managed key. Applied only when checks.aws.data.customerManagedKeys is true.',
  },
  repositories,
  arn,
  (r) => r,
);

export const checks = [scanOnPush, tagImmutability, publicPolicy, lifecyclePolicy, customerKey];
