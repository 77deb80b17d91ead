import type { Check } from '../../../core/collector.ts';
import type { Finding } from '../../../core/model.ts';
import { describeGap } from '../readable.ts';
import type { PullRequestsSnapshot } from './snapshot.ts';

const ID = 'github.pr.independent-approval';

/**
 * One finding per merged pull request: it passes when someone other than its author approved it. A repository
 * whose pull requests (or a pull request whose reviews) could not be read fails as a gap.
 */
export const independentApproval: Check<PullRequestsSnapshot> = {
  id: ID,
  title: 'Every change merged to a default branch was approved by someone other than its author',
  severity: 'high',
  procedure:
    'Reads every pull request merged into a default branch in the look-back window with its reviews. Passes per pull request when the latest review of someone other than its author is an approval; fails for each merge without one, and for a repository whose merges or reviews cannot be read.',
  remediation:
    'Require at least one approving review on the default branch and do not let administrators bypass it; review the listed merges after the fact.',
  evaluate(s, context) {
    const findings: Finding[] = [];
    for (const repo of s.repositories) {
      if (!repo.merged.ok) {
        findings.push({
          check: ID,
          resource: `${s.org}/${repo.name}`,
          status: 'fail',
          reason: describeGap('merged pull requests', repo.merged.gap),
        });
        continue;
      }
      for (const pr of repo.merged.value) {
        const resource = `${s.org}/${repo.name}#${pr.number}`;
        if (!pr.approvers.ok) {
          findings.push({
            check: ID,
            resource,
            status: 'fail',
            reason: describeGap('reviews', pr.approvers.gap),
          });
          continue;
        }
        const independent = pr.approvers.value.filter((login) => login !== pr.author);
        findings.push({
          check: ID,
          resource,
          status: independent.length ? 'pass' : 'fail',
          reason: independent.length
            ? `merged ${pr.mergedAt}, approved by ${independent.join(', ')}`
            : `merged ${pr.mergedAt} by ${pr.author ?? 'unknown author'} into ${repo.defaultBranch} without approval from anyone else: "${pr.title}"`,
        });
      }
    }
    if (findings.length === 0)
      findings.push({
        check: ID,
        resource: context.scope.id,
        status: 'not_applicable',
        reason: `no pull request merged into a default branch between ${s.since} and ${s.until}`,
      });
    return findings;
  },
};

export const checks = [independentApproval];
