import type { AnyCollector } from './collector.ts';

/** The least-privilege IAM policy for the given collectors: exactly the actions they declare, nothing else. */
export function collectorPolicy(collectors: readonly AnyCollector[]) {
  const actions = [
    ...new Set(collectors.filter((c) => c.source === 'aws').flatMap((c) => c.permissions)),
  ].sort();
  return {
    Version: '2012-10-17',
    Statement: [{ Sid: 'ProoflineReadOnlyCollection', Effect: 'Allow', Action: actions, Resource: '*' }],
  };
}
