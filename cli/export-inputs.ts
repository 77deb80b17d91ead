import { collectors } from '../collectors/index.ts';
import { loadFrameworks } from '../controls/frameworks.ts';
import { DEFAULT_GOVERNANCE_DIR, loadGovernance } from '../controls/governance.ts';
import type { ArchiveException, DigestObject, Framework, Requirement } from '../core/archive/types.ts';
import { exceptionStates } from '../core/exceptions.ts';
import type { Control } from '../core/model.ts';
import { evaluateStore } from '../core/pipeline.ts';
import { loadExceptionRecords } from '../core/records.ts';
import { type SoaRow, statementOfApplicability } from '../core/soa.ts';
import type { ChainedStore } from '../core/stores/open.ts';

/**
 * What the archive takes from the catalog, the governance files and the store besides the evidence: the
 * framework's requirements (all of them, so an unmapped one shows), the SoA for ISO 27001, the exceptions in
 * force and the signed digests covering the period.
 */
export async function archiveInputs(
  ctx: { readonly store: ChainedStore; readonly controls: readonly Control[] },
  framework: Framework,
  period: { readonly from: string; readonly to: string },
  governanceDir: string = DEFAULT_GOVERNANCE_DIR,
): Promise<{
  requirements: Requirement[];
  soaRows?: SoaRow[];
  exceptions: ArchiveException[];
  digests: AsyncIterable<DigestObject>;
}> {
  const frameworks = await loadFrameworks();
  const requirements = frameworks[framework].requirements.map((r) => ({
    id: r.id,
    title: r.title,
    framework,
  }));
  const endOfPeriod = new Date(Date.parse(`${period.to}T00:00:00.000Z`) + 86_400_000);
  const asOf = endOfPeriod.getTime() > Date.now() ? new Date() : endOfPeriod;

  let soaRows: SoaRow[] | undefined;
  if (framework === 'iso27001') {
    const governance = await loadGovernance(governanceDir, { controls: ctx.controls, frameworks });
    const { results } = await evaluateStore(ctx.store, ctx.controls, collectors, asOf.toISOString(), {
      record: false,
    });
    const status = new Map(results.map((r) => [r.control, r.status]));
    soaRows = statementOfApplicability({
      iso27001: frameworks.iso27001,
      controls: ctx.controls,
      applicability: governance.applicability,
      risks: governance.risks,
      statusOf: (id) => status.get(id) ?? 'no_evidence',
    });
  }

  const exceptions = exceptionStates(await loadExceptionRecords(ctx.store), asOf).map(
    ({ grant, revocation }) => ({
      id: grant.id,
      control: grant.control,
      ...(grant.resource ? { resource: grant.resource } : {}),
      owner: grant.owner,
      approvedBy: grant.approvedBy,
      reason: grant.reason,
      createdAt: grant.grantedAt,
      expiresAt: grant.expiresAt,
      ...(revocation ? { revokedAt: revocation.revokedAt } : {}),
    }),
  );

  const store = ctx.store;
  const from = `${period.from}T00:00:00.000Z`;
  async function* digests(): AsyncIterable<DigestObject> {
    // Digests whose period ends in (from, end of period] cover every artifact written in the period.
    for (const record of await store.digestRecords({ from, to: endOfPeriod.toISOString() })) {
      const digest = await store.readDigest(record.key);
      if (digest) yield { key: record.key, bytes: digest.bytes };
    }
  }
  return { requirements, ...(soaRows ? { soaRows } : {}), exceptions, digests: digests() };
}
