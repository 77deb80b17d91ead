import { type Check, daysBetween, perResource } from '../../../core/collector.ts';
import type { ManagedInstance, SsmManagedInstancesSnapshot } from './snapshot.ts';

/** A patch scan older than this no longer tells what is missing today. */
export const PATCH_SCAN_DAYS = 7;

const instances = (s: SsmManagedInstancesSnapshot) => s.instances;
const managed = (s: SsmManagedInstancesSnapshot) => s.instances.filter((i) => i.managed);
const id = (i: ManagedInstance) => i.id;

export const instanceManaged = perResource(
  {
    id: 'aws.ssm.instance-managed',
    title: 'Running instances are managed by Systems Manager',
    severity: 'medium',
    remediation:
      'Install the SSM agent and attach AmazonSSMManagedInstanceCore to the instance role (or enable Default Host Management).',
    procedure:
      'Reads the running instances (ec2:DescribeInstances) and the instances registered with Systems Manager (DescribeInstanceInformation). Passes a running instance that is registered.',
  },
  instances,
  id,
  (i) => [
    i.managed,
    i.managed ? 'managed by Systems Manager' : `${i.id} is not registered with Systems Manager`,
  ],
);

export const agentOnline = perResource(
  {
    id: 'aws.ssm.agent-online',
    title: 'The SSM agent of every managed instance is online',
    severity: 'medium',
    remediation:
      "Restore the agent's connectivity (VPC endpoints or egress to ssm/ssmmessages/ec2messages) and its instance role.",
    procedure:
      'Reads the managed instances (DescribeInstanceInformation). Passes an instance whose PingStatus is Online.',
  },
  managed,
  id,
  (i) => [
    i.pingStatus === 'Online',
    i.pingStatus === 'Online'
      ? 'agent online'
      : `agent of ${i.id} is ${i.pingStatus} (last ping ${i.lastPingAt ?? 'never'})`,
  ],
);

export const agentLatest = perResource(
  {
    id: 'aws.ssm.agent-latest',
    title: 'Managed instances run the latest SSM agent',
    severity: 'low',
    remediation: 'Create a State Manager association running AWS-UpdateSSMAgent on a schedule.',
    procedure:
      'Reads the managed instances (DescribeInstanceInformation). Passes an instance whose IsLatestVersion is true.',
  },
  managed,
  id,
  (i) => [
    i.agentIsLatest === true,
    i.agentIsLatest
      ? `agent ${i.agentVersion}`
      : `${i.id} runs agent ${i.agentVersion ?? 'of unknown version'}, not the latest`,
  ],
);

const patched = (i: ManagedInstance) => i.patches;
const neverScanned = (i: ManagedInstance) => [false, `${i.id} has never reported a patch scan`] as const;

export const criticalPatches = perResource(
  {
    id: 'aws.ssm.patch-critical',
    title: 'Managed instances miss no critical or security patch',
    severity: 'high',
    remediation:
      'Run AWS-RunPatchBaseline with Operation=Install through a maintenance window or Patch Manager policy.',
    procedure:
      "Reads each managed instance's patch state (DescribeInstancePatchStates). Passes an instance whose latest scan reports zero critical and zero security non-compliant patches.",
  },
  managed,
  id,
  (i) => {
    const p = patched(i);
    if (!p) return neverScanned(i);
    const ok = p.criticalNonCompliant === 0 && p.securityNonCompliant === 0;
    return [
      ok,
      ok
        ? 'no critical or security patch missing'
        : `${i.id} misses ${p.criticalNonCompliant} critical and ${p.securityNonCompliant} security patch(es)`,
    ];
  },
);

export const patchFailures = perResource(
  {
    id: 'aws.ssm.patch-failures',
    title: 'Patch installations do not fail',
    severity: 'medium',
    remediation:
      'Read the AWS-RunPatchBaseline command output on the instance, fix the cause and install again.',
    procedure:
      "Reads each managed instance's patch state (DescribeInstancePatchStates). Passes an instance whose FailedCount is zero.",
  },
  managed,
  id,
  (i) => {
    const p = patched(i);
    if (!p) return neverScanned(i);
    return [
      p.failed === 0,
      p.failed === 0 ? 'no failed patch' : `${p.failed} patch(es) failed to install on ${i.id}`,
    ];
  },
);

export const patchScanRecent = perResource(
  {
    id: 'aws.ssm.patch-scan-recent',
    title: `Managed instances were scanned for patches in the last ${PATCH_SCAN_DAYS} days`,
    severity: 'medium',
    remediation: 'Schedule AWS-RunPatchBaseline (Scan) at least weekly with a Patch Manager policy.',
    procedure: `Reads each managed instance's patch state (DescribeInstancePatchStates). Passes an instance whose last scan or install ended ${PATCH_SCAN_DAYS} days or less before the collection.`,
  },
  managed,
  id,
  (i, _s, { asOf }) => {
    const end = patched(i)?.operationEndTime;
    if (!end) return neverScanned(i);
    const days = daysBetween(end, asOf);
    return [
      days <= PATCH_SCAN_DAYS,
      `${i.id} last patch ${patched(i)?.operation.toLowerCase()} ${days} day(s) ago`,
    ];
  },
);

export const associationCompliance = perResource(
  {
    id: 'aws.ssm.association-compliance',
    title: 'State Manager associations are compliant',
    severity: 'medium',
    remediation:
      'Find the non-compliant resources (ListResourceComplianceSummaries) and fix the failing association runs.',
    procedure:
      'Reads the compliance summary of the region (ListComplianceSummaries). Passes when the Association compliance type counts no non-compliant resource.',
  },
  (s: SsmManagedInstancesSnapshot) => s.complianceSummaries.filter((c) => c.complianceType === 'Association'),
  (c) => c.complianceType,
  (c) => [c.nonCompliant === 0, `${c.nonCompliant} non-compliant, ${c.compliant} compliant resource(s)`],
);

export const checks: Check<SsmManagedInstancesSnapshot>[] = [
  instanceManaged,
  agentOnline,
  agentLatest,
  criticalPatches,
  patchFailures,
  patchScanRecent,
  associationCompliance,
];
