import { type Check, finding } from '../../../core/collector.ts';
import { regionalAccount } from '../shared/open-findings.ts';
import type { AccessAnalyzerSnapshot } from './snapshot.ts';
import { EXTERNAL_ACCESS } from './snapshot.ts';

const account = regionalAccount('access-analyzer');
const active = (s: AccessAnalyzerSnapshot) =>
  s.analyzers.find((a) => a.status === 'ACTIVE' && EXTERNAL_ACCESS.includes(a.type));

export const enabled: Check<AccessAnalyzerSnapshot> = {
  id: 'aws.accessanalyzer.enabled',
  title: 'IAM Access Analyzer watches external access in every region',
  severity: 'medium',
  remediation:
    'Create an account (or organization) analyzer in the region (aws accessanalyzer create-analyzer --type ACCOUNT).',
  procedure:
    'Lists the analyzers of each configured region (ListAnalyzers) and passes the region when an ACCOUNT or ORGANIZATION analyzer is ACTIVE.',
  evaluate(s, context) {
    const a = active(s);
    return [
      finding(
        this.id,
        account(context),
        !!a,
        a
          ? `analyzer ${a.name} (${a.type}) is active`
          : `no active external-access analyzer in ${context.scope.region}`,
      ),
    ];
  },
};

export const externalAccess: Check<AccessAnalyzerSnapshot> = {
  id: 'aws.accessanalyzer.external-access',
  title: 'No resource is shared outside the zone of trust without review',
  severity: 'high',
  remediation:
    'Remove the access the finding names, or archive the finding with an archive rule stating why it is intended.',
  procedure:
    'Lists the ACTIVE findings of each active external-access analyzer (ListFindings) and fails each resource they name (public or shared with another account); passes the region when there is none. Not applicable without an analyzer (aws.accessanalyzer.enabled judges that).',
  evaluate(s, context) {
    if (!active(s)) {
      return [
        {
          check: this.id,
          resource: account(context),
          status: 'not_applicable',
          reason: `no active external-access analyzer in ${context.scope.region}`,
        },
      ];
    }
    if (s.findings.length === 0)
      return [finding(this.id, account(context), true, 'no active external-access finding')];
    return s.findings.map((f) =>
      finding(
        this.id,
        f.resource,
        false,
        `${f.resourceType} ${f.isPublic ? 'is public' : 'is shared outside the zone of trust'} (finding ${f.id} since ${f.createdAt.slice(0, 10)})`,
      ),
    );
  },
};

export const checks = [enabled, externalAccess];
