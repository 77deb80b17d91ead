import type { Verdict } from '../../../core/collector.ts';
import { describeGap } from '../readable.ts';
import type { BranchRule, ClassicProtection, RepoDetails } from './snapshot.ts';

/** What a branch protection source enforces, described; false when it does not. */
type Enforces<T> = (source: T) => string | false;

const param = (rule: BranchRule, name: string): unknown => rule.parameters?.[name];

/** Rules of one type with a condition on their parameters. */
export const ruleWith =
  (type: string, holds: (rule: BranchRule) => boolean = () => true): Enforces<readonly BranchRule[]> =>
  (rules) => {
    const rule = rules.find((r) => r.type === type && holds(r));
    return rule ? `ruleset ${rule.rulesetId} (${rule.source || 'repository'})` : false;
  };

export const pullRequestRule = (name: string, holds: (value: unknown) => boolean = (v) => v === true) =>
  ruleWith('pull_request', (r) => holds(param(r, name)));

/**
 * A protection setting of the default branch, enforced either by classic branch protection or by an active
 * ruleset. Either source suffices; when neither enforces it and one could not be read, the finding fails and
 * says which source is unknown.
 */
export function enforced(
  details: RepoDetails,
  what: string,
  byClassic: Enforces<ClassicProtection>,
  byRules: Enforces<readonly BranchRule[]>,
): Verdict {
  const { classicProtection: classic, branchRules: rules } = details;
  const viaClassic = classic.ok && classic.value ? byClassic(classic.value) : false;
  if (viaClassic) return [true, `${what}: ${viaClassic}`];
  const viaRules = rules.ok ? byRules(rules.value) : false;
  if (viaRules) return [true, `${what}: enforced by ${viaRules}`];
  if (!classic.ok)
    return [
      false,
      `${what} is not enforced by any ruleset, and ${describeGap('classic branch protection', classic.gap)}`,
    ];
  if (!rules.ok)
    return [
      false,
      `${what} is not enforced by classic protection, and ${describeGap('branch rulesets', rules.gap)}`,
    ];
  return [false, `${what} is not enforced on the default branch`];
}

export const classicFlag =
  (flag: keyof ClassicProtection, label = 'enforced by classic protection'): Enforces<ClassicProtection> =>
  (c) =>
    c[flag] === true ? label : false;
