import { createHash } from 'node:crypto';
import { Aspects, CfnElement, type IAspect, Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * CloudFormation's logical id of a path of construct ids below the stack, as CDK allocates it (human part of
 * the path without `Resource` and repeated parts, then the first 8 hex digits of the MD5 of the path; `Default`
 * components are skipped entirely).
 */
export function logicalIdOf(path: readonly string[]): string {
  const components = path.filter((c) => c !== 'Default');
  const alnum = (s: string) => s.replace(/[^A-Za-z0-9]/g, '');
  if (components.length === 1 && alnum(components[0]!).length <= 255) return alnum(components[0]!);
  const hash = createHash('md5').update(components.join('/')).digest('hex').slice(0, 8).toUpperCase();
  const human: string[] = [];
  for (const c of components) if (!human.length || !human[human.length - 1]!.endsWith(c)) human.push(c);
  return (
    human
      .filter((c) => c !== 'Resource')
      .map(alnum)
      .join('')
      .slice(0, 240) + hash
  );
}

/**
 * Makes `part` transparent in its resources' logical ids: each keeps the id it would have if created directly
 * in `part`'s parent. The evidence bucket, the index table, the keys, the alert topic (its subscriptions) and
 * the roles auditors and member accounts name were created there before the construct was split; a changed
 * logical id would make CloudFormation replace them. Call it at the end of `part`'s constructor: resources
 * that exist then get their ids at once (so references resolved later, as cdk-nag acknowledgements are, see
 * them), resources added afterwards at synthesis.
 */
export function keepParentLogicalIds(part: IConstruct): void {
  const keep = (node: IConstruct) => {
    if (!(node instanceof CfnElement)) return;
    const scopes = node.node.scopes;
    const below = scopes.slice(scopes.indexOf(Stack.of(node)) + 1).filter((s) => s !== part);
    node.overrideLogicalId(logicalIdOf(below.map((s) => s.node.id)));
  };
  for (const node of part.node.findAll()) keep(node);
  Aspects.of(part).add({ visit: keep } satisfies IAspect);
}
