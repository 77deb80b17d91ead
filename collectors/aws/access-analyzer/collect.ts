import {
  AccessAnalyzerClient,
  paginateListAnalyzers,
  paginateListFindings,
} from '@aws-sdk/client-accessanalyzer';
import type { Scope } from '../../../core/model.ts';
import type { AwsSession } from '../session.ts';
import {
  type AccessAnalyzerSnapshot,
  type AnalyzerSnapshot,
  EXTERNAL_ACCESS,
  type ExternalAccessSnapshot,
} from './snapshot.ts';

export async function collect(session: AwsSession, scope: Scope): Promise<AccessAnalyzerSnapshot> {
  const client = session.client(AccessAnalyzerClient, scope.region);
  const analyzers: AnalyzerSnapshot[] = [];
  for await (const page of paginateListAnalyzers({ client }, {})) {
    for (const a of page.analyzers ?? []) {
      analyzers.push({ name: a.name ?? '', arn: a.arn ?? '', type: a.type ?? '', status: a.status ?? '' });
    }
  }
  const findings: ExternalAccessSnapshot[] = [];
  for (const analyzer of analyzers.filter((a) => a.status === 'ACTIVE' && EXTERNAL_ACCESS.includes(a.type))) {
    const filter = { status: { eq: ['ACTIVE'] } };
    for await (const page of paginateListFindings({ client }, { analyzerArn: analyzer.arn, filter })) {
      for (const f of page.findings ?? []) {
        findings.push({
          id: f.id ?? '',
          analyzer: analyzer.name,
          resource: f.resource ?? '',
          resourceType: f.resourceType ?? '',
          isPublic: f.isPublic ?? false,
          createdAt: f.createdAt?.toISOString() ?? '',
        });
      }
    }
  }
  return { analyzers, findings };
}
