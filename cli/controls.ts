import { writeFile } from 'node:fs/promises';
import { loadFrameworks } from '../controls/frameworks.ts';
import { type CrosswalkPair, crosswalk } from '../core/crosswalk.ts';
import { csvText } from '../core/csv.ts';
import { UsageError } from '../core/errors.ts';
import { fitLines, formatTable, statusLabel } from '../core/report/table.ts';
import {
  coverage,
  coverageHeadline,
  FRAMEWORK_IDS,
  type FrameworkId,
  formatLink,
  requirementRows,
} from '../core/requirements.ts';
import type { CommandEnv } from './context.ts';
import { READ_ONLY, withContext } from './context.ts';
import { currentResults, statusLookup } from './governance.ts';

export interface ControlsOptions {
  framework?: FrameworkId;
  crosswalk?: boolean;
  coverage?: boolean;
  csv?: string | boolean;
  json?: boolean;
}

/** `GH-05 [github.audit-log.policy-weakening]; IAM-01 [manual]`: each shared control with its shared evidence. */
const sharedEvidence = (pair: CrosswalkPair): string =>
  pair.evidence.map((e) => `${e.control} [${e.by.join(' ')}]`).join('; ');

/** `proofline controls` (its options: controls-commands.ts). */
export async function runControls(env: CommandEnv, options: ControlsOptions): Promise<void> {
  const { out } = env;
  /** CSV goes to the named file, or to standard output for a bare `--csv`. */
  const emitCsv = async (target: string | boolean, csv: string, what: string) => {
    if (typeof target === 'string') {
      await writeFile(target, csv);
      out(`${what} written to ${target}`);
    } else out(csv.trimEnd());
  };

  if (options.framework && options.crosswalk)
    throw new UsageError('choose one of --framework and --crosswalk');
  if (options.coverage && (options.crosswalk || options.csv !== undefined))
    throw new UsageError('--coverage prints a report or --json; it takes neither --crosswalk nor --csv');
  await withContext(env.globals(), READ_ONLY, async (ctx) => {
    if (options.coverage) {
      const frameworks = await loadFrameworks();
      const reports = (options.framework ? [options.framework] : FRAMEWORK_IDS).map((id) => ({
        framework: id,
        name: frameworks[id].name,
        ...coverage(frameworks[id], ctx.controls),
      }));
      if (options.json) {
        out(
          JSON.stringify(
            reports.map(({ rows, ...r }) => ({ ...r, requirements: rows })),
            null,
            2,
          ),
        );
        return;
      }
      const say = (text: string) => out(fitLines(text, env.terminal.width));
      for (const r of reports) {
        say(coverageHeadline(r.framework, r.counts));
        for (const [evidence, heading] of [
          ['automated', 'automated evidence'],
          ['manual', 'manual evidence only'],
          ['none', 'no evidence'],
        ] as const) {
          const rows = r.rows.filter((row) => row.evidence === evidence);
          if (rows.length === 0) continue;
          say(`\n  ${heading} (${rows.length})`);
          for (const row of rows) {
            say(`  ${row.id}  ${row.title}`);
            for (const link of row.links) say(`      ${formatLink(link)}`);
          }
        }
        say('');
      }
      say(reports.map((r) => coverageHeadline(r.framework, r.counts)).join('\n'));
      return;
    }

    if (options.crosswalk) {
      const pairs = crosswalk(ctx.controls);
      if (options.csv !== undefined)
        await emitCsv(
          options.csv,
          csvText(
            ['soc2', 'iso27001', 'shared_controls', 'shared_evidence', 'automated'],
            pairs.map((p) => [p.soc2, p.iso27001, p.controls.join(' '), sharedEvidence(p), p.automated]),
          ),
          `Crosswalk: ${pairs.length} pairs`,
        );
      else if (options.json) out(JSON.stringify(pairs, null, 2));
      else {
        out(
          formatTable(
            ['SOC 2', 'ISO 27001', 'SHARED EVIDENCE'],
            pairs.map((p) => [p.soc2, p.iso27001, sharedEvidence(p)]),
            env.terminal.width,
          ),
        );
        out(
          fitLines(
            `\n${pairs.length} SOC 2 ↔ ISO 27001 pairs share the evidence of a control: evidence for one serves the other`,
            env.terminal.width,
          ),
        );
      }
      return;
    }

    const statusOf = statusLookup(await currentResults(ctx));
    if (options.framework) {
      const framework = (await loadFrameworks())[options.framework];
      const rows = requirementRows(framework, ctx.controls, statusOf);
      if (options.csv !== undefined)
        await emitCsv(
          options.csv,
          csvText(
            ['requirement', 'kind', 'group', 'title', 'status', 'controls', 'owners', 'evidence', 'links'],
            rows.map((r) => [
              r.id,
              r.kind,
              r.category ?? r.theme ?? '',
              r.title,
              r.status,
              r.controls.map((c) => `${c.id}:${c.status}`).join(' '),
              r.owners.join(' '),
              r.evidence,
              r.links.map(formatLink).join(' | '),
            ]),
          ),
          `${framework.name}: ${rows.length} requirements`,
        );
      else if (options.json) out(JSON.stringify(rows, null, 2));
      else {
        out(
          fitLines(`${framework.name} ${framework.version}: ${rows.length} requirements`, env.terminal.width),
        );
        out(
          formatTable(
            ['REQUIREMENT', 'STATUS', 'EVIDENCE', 'CONTROLS', 'OWNERS', 'TITLE'],
            rows.map((r) => [
              r.id,
              statusLabel(r.status),
              r.evidence,
              r.controls.map((c) => c.id).join(' '),
              r.owners.join(' '),
              r.title,
            ]),
            env.terminal.width,
          ),
        );
      }
      return;
    }

    const rows = ctx.controls.map((c) => ({
      id: c.id,
      type: c.type,
      status: statusOf(c.id),
      owner: c.owner,
      title: c.title,
      checks: c.checks,
      manualEvidence: c.manualEvidence ?? null,
      soc2: c.soc2,
      iso27001: c.iso27001,
      links: c.links,
    }));
    if (options.csv !== undefined)
      await emitCsv(
        options.csv,
        csvText(
          ['control', 'type', 'status', 'owner', 'title', 'soc2', 'iso27001'],
          rows.map((r) => [r.id, r.type, r.status, r.owner, r.title, r.soc2.join(' '), r.iso27001.join(' ')]),
        ),
        `${rows.length} controls`,
      );
    else if (options.json) out(JSON.stringify(rows, null, 2));
    else
      out(
        formatTable(
          ['CONTROL', 'TYPE', 'STATUS', 'OWNER', 'TITLE'],
          rows.map((r) => [r.id, r.type, statusLabel(r.status), r.owner, r.title]),
          env.terminal.width,
        ),
      );
  });
}
