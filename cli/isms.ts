import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { collectors } from '../collectors/index.ts';
import { DEFAULT_GOVERNANCE_DIR } from '../controls/governance.ts';
import { failingDigest } from '../core/alerts/notify.ts';
import { parsePeriod } from '../core/archive/period.ts';
import { checkCatalog, DAY_MS } from '../core/collector.ts';
import { alertSettings } from '../core/config.ts';
import { exceptionStates } from '../core/exceptions.ts';
import { auditRecord, loadAudits, programmeCsv, programmeStatus, workingPaper } from '../core/isms/audit.ts';
import { CONTEXT_FILE, loadIsmsFiles } from '../core/isms/files.ts';
import { ismsStatus as ismsStatusAt } from '../core/isms/gaps.ts';
import {
  automaticNcs,
  loadNcRecords,
  type NcRecord,
  ncClose,
  ncOpen,
  ncStates,
  ncUpdate,
} from '../core/isms/nc.ts';
import { managementReviewPack } from '../core/isms/pack.ts';
import { appendIsmsRecord, dayOption, IsmsError, refuse } from '../core/isms/records.ts';
import {
  loadVersions,
  RISKS_FILE,
  recordVersions,
  riskChanges,
  risksOf,
  versionAt,
} from '../core/isms/register.ts';
import {
  controlTrends,
  loadReviews,
  packCsv,
  packHtml,
  packMarkdown,
  reviewActions,
} from '../core/isms/review.ts';
import { loadApprovals, soaApprovalStatus, soaContentHash, soaDecisions } from '../core/isms/soa-approval.ts';
import { loadExceptionRecords } from '../core/records.ts';
import { formatTable } from '../core/report/table.ts';
import { isIsoDay } from '../core/validate.ts';
import type { CliContext, CommandEnv } from './context.ts';
import { READ_ONLY, withContext } from './context.ts';
import { currentUser } from './exceptions.ts';
import { loadGovernanceFor } from './governance.ts';

/** The governance files and the ISMS data files beside them. */
export async function loadIsms(ctx: CliContext, env: CommandEnv) {
  const dir = env.globals().governance ?? DEFAULT_GOVERNANCE_DIR;
  const { frameworks, governance } = await loadGovernanceFor(ctx, env.globals().governance);
  const files = await loadIsmsFiles(dir, ctx.controls);
  const soaRows = soaDecisions(frameworks.iso27001, ctx.controls, governance);
  return { dir, frameworks, governance, files, soaRows };
}

/** Where the ISMS stands at `now` (core/isms/gaps.ts), judged against this command's governance folder. */
export async function ismsStatus(ctx: CliContext, env: CommandEnv, now: Date) {
  const { files, soaRows } = await loadIsms(ctx, env);
  return ismsStatusAt(
    { store: ctx.store, files, soaRows, soaMaxAgeDays: ctx.config.isms.soaMaxAgeDays },
    now,
  );
}

async function appendNc(ctx: CliContext, record: NcRecord, now: Date) {
  return appendIsmsRecord(ctx.store, 'nc', (at) => ({ ...record, recordedAt: at }), now);
}

/** Opens a nonconformity for each control failing past its severity's due date (once per control). */
async function syncNcs(ctx: CliContext, out: (t: string) => void, now: Date): Promise<void> {
  const { dueDays } = alertSettings(ctx.config);
  const digest = failingDigest(await ctx.store.controlStates(), ctx.controls, now.toISOString(), {
    checks: checkCatalog(collectors),
    dueDays,
  });
  const views = ncStates(await loadNcRecords(ctx.store), now);
  for (const nc of automaticNcs(digest.items, views, dueDays, now.toISOString())) {
    const { ref } = await appendNc(ctx, nc, now);
    out(
      `${nc.id} opened: ${nc.description}; action due ${nc.due} (owner ${nc.owner}); recorded as ${ref.key}`,
    );
  }
}

/** `FROM..TO`, two YYYY-MM-DD days. */
function reviewPeriod(value: string | undefined) {
  const [from, to, extra] = (value ?? '').split('..');
  if (!from || !to || extra !== undefined)
    throw new IsmsError(`--period "${value ?? ''}" is not a period: use YYYY-MM-DD..YYYY-MM-DD`);
  try {
    return parsePeriod(from, to);
  } catch (error) {
    throw new IsmsError(`--period: ${(error as Error).message.replace(/--(from|to) /, '')}`);
  }
}

/** `text|owner|YYYY-MM-DD` → a review action, numbered within its review. */
function reviewAction(value: string, index: number, heldOn: string, problems: string[]) {
  const [text, owner, due] = value.split('|').map((p) => p.trim());
  if (!text || !owner || !due || !isIsoDay(due)) {
    problems.push(`--action "${value}" must be "text|owner|YYYY-MM-DD"`);
    return undefined;
  }
  return { id: `RA-${heldOn.replaceAll('-', '')}-${index + 1}`, text, owner, due };
}

export async function runIsmsRecord(env: CommandEnv, options: { by?: string }): Promise<void> {
  const { out } = env;

  await withContext(env.globals(), {}, async (ctx) => {
    const now = new Date();
    const { governance, files } = await loadIsms(ctx, env);
    const risks = governance.files.find((f) => f.name === RISKS_FILE)!;
    const inputs = [
      { ...risks, data: { risks: governance.risks } },
      ...[files.context, files.programme].flatMap((f) => (f ? [f] : [])),
    ];
    const recorded = await recordVersions(ctx.store, inputs, options.by?.trim() || currentUser(), now);
    for (const r of recorded) out(`${r.file}: new version recorded as ${r.key}`);
    if (recorded.length === 0)
      out('risk register, context and audit programme unchanged since their last record');
    if (ctx.config.isms.autoNonconformities) await syncNcs(ctx, out, now);
  });
}

export async function runIsmsStatus(env: CommandEnv, options: { json?: boolean }): Promise<void> {
  const { out } = env;

  await withContext(env.globals(), READ_ONLY, async (ctx) => {
    const { soa, programme, ncs, gaps } = await ismsStatus(ctx, env, new Date());
    if (options.json) {
      out(
        JSON.stringify(
          { gaps, soa, programme: programme.map((p) => ({ audit: p.audit.id, state: p.state })), ncs },
          null,
          2,
        ),
      );
      return;
    }
    const a = soa.approval;
    out(
      a
        ? `SoA: version ${a.version} approved by ${a.approver} on ${a.approvedAt.slice(0, 10)}${soa.changedAfterApproval ? ', changed since' : ''}`
        : 'SoA: not approved',
    );
    out(
      `Internal audits: ${programme.filter((p) => p.state === 'done').length} done of ${programme.length} planned`,
    );
    out(
      `Nonconformities: ${ncs.filter((n) => n.state === 'open').length} open (${ncs.filter((n) => n.overdue).length} overdue), ${ncs.filter((n) => n.state === 'closed').length} closed`,
    );
    out(`\nGovernance gaps: ${gaps.length}`);
    for (const g of gaps) out(`  ${g}`);
  });
}

export async function runSoaApprove(
  env: CommandEnv,
  options: { version?: string; approver?: string },
): Promise<void> {
  const { out } = env;

  await withContext(env.globals(), {}, async (ctx) => {
    const problems = [
      ...(options.version?.trim() ? [] : ['an approval names the version approved (--version)']),
      ...(options.approver?.trim() ? [] : ['an approval names the approver (--approver)']),
    ];
    if (problems.length) throw new IsmsError(problems.join('; '));
    const { soaRows } = await loadIsms(ctx, env);
    const sha256 = soaContentHash(soaRows);
    const { ref, at } = await appendIsmsRecord(
      ctx.store,
      'soa-approval',
      (approvedAt) => ({
        kind: 'soa-approval',
        version: options.version!.trim(),
        approver: options.approver!.trim(),
        sha256,
        approvedAt,
        recordedBy: currentUser(),
      }),
      new Date(),
    );
    out(
      `SoA version ${options.version!.trim()} (sha256 ${sha256}) approved by ${options.approver!.trim()} at ${at}`,
    );
    out(`  recorded as ${ref.key}`);
  });
}

export async function runAuditRecord(
  env: CommandEnv,
  options: Parameters<typeof auditRecord>[0] & { owner?: string },
): Promise<void> {
  const { out } = env;

  await withContext(env.globals(), {}, async (ctx) => {
    const now = new Date();
    const { files } = await loadIsms(ctx, env);
    const by = currentUser();
    const record = auditRecord(options, files.programme?.data, ctx.controls, by, now.toISOString());
    const due = new Date(Date.parse(record.performedOn) + alertSettings(ctx.config).dueDays.medium * DAY_MS)
      .toISOString()
      .slice(0, 10);
    const raised = record.findings
      .filter((f) => f.nonconformity)
      .map((f) => {
        const owner = options.owner ?? ctx.controls.find((c) => c.id === f.control)?.owner;
        if (!owner)
          throw new IsmsError(`finding ${f.id} names no control: give the nonconformity's owner (--owner)`);
        const nc = ncOpen(
          {
            source: 'internal-audit',
            audit: record.audit,
            ...(f.control ? { control: f.control } : {}),
            description: f.text,
            owner,
            due,
          },
          ctx.controls,
          by,
          now.toISOString(),
        );
        return { finding: f.id, nc };
      });
    const ncOf = new Map(raised.map((r) => [r.finding, r.nc.id]));
    const findings = record.findings.map((f) => {
      const nc = ncOf.get(f.id);
      return nc ? { ...f, nc } : f;
    });
    const { ref } = await appendIsmsRecord(
      ctx.store,
      'audit',
      (at) => ({ ...record, findings, recordedAt: at }),
      now,
    );
    out(
      `${record.audit} performed ${record.performedOn} by ${record.auditor}: ${findings.length} findings; recorded as ${ref.key}`,
    );
    for (const { nc } of raised) {
      const stored = await appendNc(ctx, nc, now);
      out(
        `  ${nc.id} opened from ${record.audit}: ${nc.description} (owner ${nc.owner}, due ${nc.due}); recorded as ${stored.ref.key}`,
      );
    }
  });
}

export async function runAuditProgramme(env: CommandEnv, options: { out?: string }): Promise<void> {
  const { out } = env;

  await withContext(env.globals(), READ_ONLY, async (ctx) => {
    const now = new Date();
    const { files } = await loadIsms(ctx, env);
    const rows = programmeStatus(files.programme?.data, await loadAudits(ctx.store), now);
    out(
      formatTable(
        ['AUDIT', 'DUE', 'STATE', 'AUDITOR', 'TITLE'],
        rows.map((r) => [r.audit.id, r.audit.due, r.state.toUpperCase(), r.audit.auditor, r.audit.title]),
        env.terminal.width,
      ),
    );
    if (!options.out) return;
    const states = new Map((await ctx.store.controlStates()).map((s) => [s.control, s]));
    const exceptions = exceptionStates(await loadExceptionRecords(ctx.store), now);
    await mkdir(options.out, { recursive: true });
    await writeFile(join(options.out, 'audit-programme.csv'), programmeCsv(rows));
    const day = now.toISOString().slice(0, 10);
    for (const row of rows)
      await writeFile(
        join(options.out, `${row.audit.id}.md`),
        workingPaper({
          row,
          controls: ctx.controls,
          standingOf: (c) => ({ status: states.get(c)?.status ?? 'not_evaluated' }),
          failingOf: (c) => [...new Set((states.get(c)?.failing ?? []).map((f) => f.resource))],
          exceptions,
          period: { from: day, to: day },
        }),
      );
    out(
      `\nwritten to ${options.out}: audit-programme.csv and ${rows.length} working papers (control status as of now)`,
    );
  });
}

const findNc = async (ctx: CliContext, id: string, now: Date) =>
  ncStates(await loadNcRecords(ctx.store), now).find((v) => v.id === id);

export async function runNcAdd(env: CommandEnv, options: Parameters<typeof ncOpen>[0]): Promise<void> {
  const { out } = env;

  await withContext(env.globals(), {}, async (ctx) => {
    const now = new Date();
    const record = ncOpen(options, ctx.controls, currentUser(), now.toISOString());
    const { ref } = await appendNc(ctx, record, now);
    out(
      `${record.id} opened (${record.source}), owner ${record.owner}, due ${record.due}; recorded as ${ref.key}`,
    );
  });
}

export async function runNcUpdate(
  env: CommandEnv,
  id: string,
  options: Parameters<typeof ncUpdate>[2],
): Promise<void> {
  const { out } = env;

  await withContext(env.globals(), {}, async (ctx) => {
    const now = new Date();
    for (const record of ncUpdate(
      await findNc(ctx, id, now),
      id,
      options,
      currentUser(),
      now.toISOString(),
    )) {
      const { ref } = await appendNc(ctx, record, now);
      out(`${id} ${record.kind === 'reopen' ? 'reopened' : 'updated'}; recorded as ${ref.key}`);
    }
  });
}

export async function runNcClose(
  env: CommandEnv,
  id: string,
  options: { effectiveness?: string },
): Promise<void> {
  const { out } = env;

  await withContext(env.globals(), {}, async (ctx) => {
    const now = new Date();
    const record = ncClose(
      await findNc(ctx, id, now),
      id,
      options.effectiveness,
      currentUser(),
      now.toISOString(),
    );
    const { ref } = await appendNc(ctx, record, now);
    out(`${id} closed; recorded as ${ref.key}`);
  });
}

export async function runNcList(env: CommandEnv, options: { json?: boolean }): Promise<void> {
  const { out } = env;

  await withContext(env.globals(), READ_ONLY, async (ctx) => {
    const views = ncStates(await loadNcRecords(ctx.store), new Date());
    if (options.json) return out(JSON.stringify(views, null, 2));
    out(
      formatTable(
        ['ID', 'STATE', 'SOURCE', 'CONTROL', 'OWNER', 'DUE', 'DESCRIPTION'],
        views.map((v) => [
          v.id,
          `${v.state.toUpperCase()}${v.overdue ? ' OVERDUE' : ''}`,
          v.source,
          v.control ?? '',
          v.owner,
          v.due,
          v.description,
        ]),
        env.terminal.width,
      ),
    );
  });
}

export async function runNcSync(env: CommandEnv): Promise<void> {
  const { out } = env;

  await withContext(env.globals(), {}, async (ctx) => syncNcs(ctx, out, new Date()));
}

export async function runManagementReview(
  env: CommandEnv,
  options: { period?: string; out?: string },
): Promise<void> {
  const { out } = env;

  const period = reviewPeriod(options.period);
  await withContext(env.globals(), READ_ONLY, async (ctx) => {
    const now = new Date();
    const asOf = new Date(Math.min(Date.parse(period.end), now.getTime()));
    const { files, governance, soaRows } = await loadIsms(ctx, env);
    const versions = await loadVersions(ctx.store);
    const riskVersion = versionAt(versions, RISKS_FILE, asOf.toISOString());
    const contextAtStart = versionAt(versions, CONTEXT_FILE, period.start)?.record;
    const contextAtEnd = versionAt(versions, CONTEXT_FILE, asOf.toISOString())?.record;
    const sections = managementReviewPack({
      period,
      controls: ctx.controls,
      actions: reviewActions(await loadReviews(ctx.store), asOf),
      ...(contextAtStart ? { contextAtStart } : {}),
      ...(contextAtEnd ? { contextAtEnd } : {}),
      ncs: ncStates(await loadNcRecords(ctx.store), asOf),
      trends: controlTrends(
        ctx.controls.map((c) => c.id),
        await ctx.store.transitions({ to: period.end }),
        period.start,
        period.end,
      ),
      programme: programmeStatus(files.programme?.data, await loadAudits(ctx.store), asOf),
      risks: riskVersion ? risksOf(riskVersion.record) : governance.risks,
      riskChanges: riskChanges(versions, period.start, period.end),
      soa: soaApprovalStatus(await loadApprovals(ctx.store), soaRows, asOf, ctx.config.isms.soaMaxAgeDays),
    });
    const title = `Management review input, ${period.from} to ${period.to}`;
    if (!options.out) return out(packMarkdown(title, sections));
    await mkdir(options.out, { recursive: true });
    await writeFile(join(options.out, 'management-review.md'), packMarkdown(title, sections));
    await writeFile(join(options.out, 'management-review.html'), packHtml(title, sections));
    await writeFile(join(options.out, 'management-review.csv'), packCsv(sections));
    out(`${title}: management-review.md, .html and .csv written to ${options.out}`);
  });
}

export async function runManagementReviewRecord(
  env: CommandEnv,
  options: {
    heldOn?: string;
    period?: string;
    attendee?: string[];
    decision?: string[];
    action?: string[];
    done?: string[];
    minutes?: string;
  },
  command: Command,
): Promise<void> {
  const { out } = env;

  const problems: string[] = [];
  const heldOn = dayOption(options.heldOn, '--held-on', problems);
  if (!options.heldOn) problems.push('a review record needs the day it was held (--held-on YYYY-MM-DD)');
  // Commander hands a --period after `record` to the parent command, which declares it too.
  const period = reviewPeriod(options.period ?? command.parent?.opts<{ period?: string }>().period);
  const actions = (options.action ?? []).map((a, i) => reviewAction(a, i, heldOn ?? '', problems));
  if (!options.decision?.length) problems.push('a review record needs its decisions (--decision)');
  await withContext(env.globals(), {}, async (ctx) => {
    const now = new Date();
    const known = new Set(reviewActions(await loadReviews(ctx.store), now).map((a) => a.action.id));
    for (const id of options.done ?? [])
      if (!known.has(id)) problems.push(`--done ${id}: no such review action`);
    if (options.minutes && !(await ctx.store.getArtifactRef(options.minutes)))
      problems.push(`--minutes ${options.minutes}: no such evidence in ${ctx.store.location}`);
    refuse(problems);
    const { ref } = await appendIsmsRecord(
      ctx.store,
      'review',
      (at) => ({
        kind: 'review',
        heldOn,
        period: { from: period.from, to: period.to },
        attendees: options.attendee ?? [],
        decisions: options.decision ?? [],
        actions,
        done: options.done ?? [],
        ...(options.minutes ? { minutes: options.minutes } : {}),
        recordedBy: currentUser(),
        recordedAt: at,
      }),
      now,
    );
    out(
      `management review of ${heldOn} recorded: ${options.decision!.length} decisions, ${actions.length} actions (${actions.map((a) => a!.id).join(', ') || 'none'}); ${ref.key}`,
    );
  });
}
