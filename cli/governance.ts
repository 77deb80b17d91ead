import { writeFile } from 'node:fs/promises';
import { collectors } from '../collectors/index.ts';
import { loadFrameworks } from '../controls/frameworks.ts';
import { DEFAULT_GOVERNANCE_DIR, loadGovernance } from '../controls/governance.ts';
import { loadSubservices } from '../controls/subservices.ts';
import { canonicalJson } from '../core/canonical.ts';
import { findContradictions } from '../core/contradictions.ts';
import { storeEvidenceView } from '../core/evidence-view.ts';
import { exceptionStates } from '../core/exceptions.ts';
import { GOVERNANCE_COLLECTOR, type Governance, governanceReport, riskScore } from '../core/governance.ts';
import type { ArtifactRef, ControlResult, ControlStatus } from '../core/model.ts';
import { evaluateStore } from '../core/pipeline.ts';
import { loadExceptionRecords } from '../core/records.ts';
import { fitLines, formatTable, statusLabel } from '../core/report/table.ts';
import { type RequestRow, requestSummary } from '../core/request-list.ts';
import type { Frameworks } from '../core/requirements.ts';
import { soaCsv, statementOfApplicability } from '../core/soa.ts';
import type { EvidenceStore } from '../core/stores/store.ts';
import { systemDescription, systemDescriptionMarkdown } from '../core/system-description.ts';
import type { CliContext, CommandEnv } from './context.ts';
import { READ_ONLY, withContext } from './context.ts';

/** Every control's status now, from the latest evidence, without recording a state change. */
export async function currentResults(ctx: CliContext, now: Date = new Date()): Promise<ControlResult[]> {
  const { results } = await evaluateStore(ctx.store, ctx.controls, collectors, now.toISOString(), {
    record: false,
    settings: ctx.config.checks,
  });
  return results;
}

export const statusLookup = (results: readonly ControlResult[]) => {
  const byId = new Map(results.map((r) => [r.control, r.status]));
  return (control: string): ControlStatus => byId.get(control) ?? 'no_evidence';
};

export async function loadGovernanceFor(
  ctx: CliContext,
  dir: string | undefined,
): Promise<{ frameworks: Frameworks; governance: Governance }> {
  const frameworks = await loadFrameworks();
  const governance = await loadGovernance(dir ?? DEFAULT_GOVERNANCE_DIR, {
    controls: ctx.controls,
    frameworks,
  });
  return { frameworks, governance };
}

/**
 * Keeps a copy of the governance files in the store when they differ from the last copy, so the evidence
 * shows what the risk register, owners and exclusions were at any time. Returns the copy's ref and whether
 * it is new.
 */
export async function recordGovernance(
  store: EvidenceStore,
  governance: Governance,
  now: Date = new Date(),
): Promise<{ ref: ArtifactRef; created: boolean }> {
  const snapshot = { files: governance.files.map(({ name, sha256, text }) => ({ name, sha256, text })) };
  const [latest] = await store.latestArtifacts(GOVERNANCE_COLLECTOR);
  if (latest) {
    const { artifact } = await store.getArtifact(latest.key);
    if (artifact.status === 'ok' && canonicalJson(artifact.snapshot) === canonicalJson(snapshot))
      return { ref: latest, created: false };
  }
  return store.putArtifact({
    collector: GOVERNANCE_COLLECTOR,
    scope: { source: 'manual', id: 'governance' },
    collectedAt: now.toISOString(),
    schemaVersion: 1,
    status: 'ok',
    snapshot,
  });
}

/** The request list's outstanding rows, as `governance` prints them (the archive has the whole list). */
function requestLines(rows: readonly RequestRow[]): string[] {
  return [
    `Request list: ${requestSummary(rows)}`,
    ...rows
      .filter((r) => r.outstanding.length > 0)
      .map(
        (r) =>
          `  ${r.framework === 'soc2' ? 'SOC 2' : 'ISO'} ${r.requirement.padEnd(6)} ${statusLabel(r.status).padEnd(12)} ${r.outstanding.join(', ')}`,
      ),
  ];
}

export async function runGovernance(
  env: CommandEnv,
  options: { json?: boolean; record?: boolean },
): Promise<void> {
  const { out } = env;

  await withContext(env.globals(), { readOnly: !options.record }, async (ctx) => {
    const now = new Date();
    const { frameworks, governance } = await loadGovernanceFor(ctx, env.globals().governance);
    let recorded: { ref: ArtifactRef; created: boolean } | undefined;
    let results: ControlResult[];
    if (options.record) {
      recorded = await recordGovernance(ctx.store, governance, now);
      ({ results } = await evaluateStore(ctx.store, ctx.controls, collectors, now.toISOString()));
    } else results = await currentResults(ctx, now);
    const exceptions = exceptionStates(await loadExceptionRecords(ctx.store), now);
    const report = governanceReport({
      controls: ctx.controls,
      frameworks,
      governance,
      results,
      exceptions,
    });
    const contradictions = await findContradictions({
      applicability: governance.applicability,
      evidence: storeEvidenceView(ctx.store, await ctx.store.latestArtifacts()),
      controls: ctx.controls,
      statusOf: statusLookup(results),
    });
    if (options.json) {
      out(
        JSON.stringify({ governanceEvidence: recorded?.ref.key ?? null, ...report, contradictions }, null, 2),
      );
      return;
    }
    const lines: string[] = [`Governance files: ${governance.dir}`];
    lines.push(
      recorded
        ? `  kept as evidence ${recorded.created ? '(new copy)' : '(unchanged)'}: ${recorded.ref.key}`
        : '  not recorded: pass --record to keep a copy as evidence',
      '',
      `Statements contradicted by the evidence (SoA exclusions, scope statements): ${contradictions.length}`,
      ...contradictions.map(
        (c) => `  ${c.statement}: ${c.resource}: ${c.detail} (${c.evidence || 'control status'})`,
      ),
      '',
      `Risks without a treating control: ${report.risksWithoutControls.length}`,
      ...report.risksWithoutControls.map(
        (r) => `  ${r.id}  ${r.treatment}, score ${riskScore(r)}, owner ${r.owner}: ${r.description}`,
      ),
      '',
      `Controls treating no risk: ${report.controlsWithoutRisk.length}`,
      ...report.controlsWithoutRisk.map((c) => `  ${c.id}  ${c.title}`),
      '',
      `Controls whose owner role has nobody in owners.yaml: ${report.unownedControls.length}`,
      ...report.unownedControls.map((c) => `  ${c.id}  owner role ${c.owner}`),
      '',
      ...requestLines(report.requestList),
      '',
      `Manual evidence due: ${report.manualDue.length}`,
      ...report.manualDue.map(
        (c) =>
          `  ${c.id}  ${c.manualEvidence?.description ?? ''} (every ${c.manualEvidence?.everyDays} days)`,
      ),
      '',
      `Active exceptions: ${report.activeExceptions.length}`,
      ...report.activeExceptions.map(
        (e) => `  ${e.grant.id}  ${e.grant.control} ${e.grant.resource ?? '*'} until ${e.grant.expiresAt}`,
      ),
      `Expired exceptions whose control still fails (no longer applied): ${report.expiredExceptions.length}`,
      ...report.expiredExceptions.map(
        (e) => `  ${e.grant.id}  ${e.grant.control} ${e.grant.resource ?? '*'} expired ${e.grant.expiresAt}`,
      ),
    );
    out(fitLines(lines.join('\n'), env.terminal.width));
  });
}

export async function runSystemDescription(env: CommandEnv, options: { json?: boolean }): Promise<void> {
  const { out } = env;

  await withContext(env.globals(), READ_ONLY, async (ctx) => {
    const { governance } = await loadGovernanceFor(ctx, env.globals().governance);
    const description = await systemDescription({
      evidence: storeEvidenceView(ctx.store, await ctx.store.latestArtifacts()),
      controls: ctx.controls,
      statusOf: statusLookup(await currentResults(ctx)),
      owners: governance.owners,
      subservices: await loadSubservices(ctx.controls),
    });
    out(
      options.json ? JSON.stringify(description, null, 2) : systemDescriptionMarkdown(description, 'SOC 2'),
    );
  });
}

export async function runSoa(env: CommandEnv, options: { csv?: string; json?: boolean }): Promise<void> {
  const { out } = env;

  await withContext(env.globals(), READ_ONLY, async (ctx) => {
    const now = new Date();
    const { frameworks, governance } = await loadGovernanceFor(ctx, env.globals().governance);
    const rows = statementOfApplicability({
      iso27001: frameworks.iso27001,
      controls: ctx.controls,
      applicability: governance.applicability,
      risks: governance.risks,
      statusOf: statusLookup(await currentResults(ctx, now)),
    });
    if (options.csv) {
      await writeFile(options.csv, soaCsv(rows));
      out(`Statement of Applicability: ${rows.length} Annex A controls written to ${options.csv}`);
    }
    if (options.json) out(JSON.stringify(rows, null, 2));
    if (!options.csv && !options.json)
      out(
        formatTable(
          ['CONTROL', 'APPLICABLE', 'STATUS', 'IMPLEMENTED BY', 'RISKS', 'TITLE'],
          rows.map((r) => [
            r.control,
            r.applicable ? 'yes' : 'no',
            statusLabel(r.status),
            r.implementedBy.join(' '),
            r.risks.join(' '),
            r.title,
          ]),
          env.terminal.width,
        ),
      );
  });
}
