/**
 * `proofline/cdk`: the construct library. `new Proofline(stack, 'Evidence', props)` adds the evidence bucket,
 * index table, signing key, scheduled collection, evaluation, alerts and the auditor's export to your stack.
 * Installed from the package, its Lambda functions use the handlers bundled at pack time, so `cdk synth` needs
 * neither esbuild nor TypeScript.
 */

export type { ScheduleGroupConfig } from '../core/config.ts';
export { ProoflineMemberRoleStack, type ProoflineMemberRoleStackProps } from '../infra/member-role.ts';
export { Proofline, type ProoflineProps } from '../infra/proofline.ts';
