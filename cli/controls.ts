import { writeFile } from 'node:fs/promises';
import { type Command, Option } from 'commander';
import { stringify } from 'csv-stringify/sync';
import { loadFrameworks } from '../controls/frameworks.ts';
import { crosswalk } from '../core/crosswalk.ts';
import { formatTable, statusLabel } from '../core/report/table.ts';
import { type FrameworkId, requirementRows } from '../core/requirements.ts';
import type { CommandEnv } from './context.ts';
import { openContext, READ_ONLY, UsageError } from './context.ts';
import { currentResults, statusLookup } from './governance.ts';

interface ControlsOptions {
  framework?: FrameworkId;
  crosswalk?: boolean;
  csv?: string | boolean;
  json?: boolean;
}

export function registerControlsCommand(program: Command, env: CommandEnv): void {
  const { out } = env;
  /** CSV goes to the named file, or to standard output for a bare `--csv`. */
  const emitCsv = async (target: string | boolean, csv: string, what: string) => {
    if (typeof target === 'string') {
      await writeFile(target, csv);
      out(`${what} written to ${target}`);
    } else out(csv.trimEnd());
  };

  program
    .command('controls')
    .description(
      'list the internal controls; with --framework, every requirement with its controls, owners and status; with --crosswalk, the SOC 2 ↔ ISO 27001 pairs that share controls',
    )
    .addOption(
      new Option('--framework <id>', 'show the requirements of this framework').choices(['soc2', 'iso27001']),
    )
    .option('--crosswalk', 'SOC 2 criteria and ISO 27001 requirements met by the same internal controls')
    .option('--csv [file]', 'CSV output, to the file if given (else standard output)')
    .option('--json', 'machine-readable output')
    .action(async (options: ControlsOptions) => {
      if (options.framework && options.crosswalk)
        throw new UsageError('choose one of --framework and --crosswalk');
      const ctx = await openContext(env.globals(), READ_ONLY);
      try {
        if (options.crosswalk) {
          const pairs = crosswalk(ctx.controls);
          if (options.csv !== undefined)
            await emitCsv(
              options.csv,
              stringify(
                pairs.map((p) => [p.soc2, p.iso27001, p.controls.join(' ')]),
                { header: true, columns: ['soc2', 'iso27001', 'shared_controls'] },
              ),
              `Crosswalk: ${pairs.length} pairs`,
            );
          else if (options.json) out(JSON.stringify(pairs, null, 2));
          else {
            out(
              formatTable(
                ['SOC 2', 'ISO 27001', 'SHARED CONTROLS'],
                pairs.map((p) => [p.soc2, p.iso27001, p.controls.join(' ')]),
              ),
            );
            out(
              `\n${pairs.length} SOC 2 ↔ ISO 27001 pairs share internal controls: evidence for one serves the other`,
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
              stringify(
                rows.map((r) => [
                  r.id,
                  r.kind,
                  r.category ?? r.theme ?? '',
                  r.title,
                  r.status,
                  r.controls.map((c) => `${c.id}:${c.status}`).join(' '),
                  r.owners.join(' '),
                ]),
                {
                  header: true,
                  columns: ['requirement', 'kind', 'group', 'title', 'status', 'controls', 'owners'],
                },
              ),
              `${framework.name}: ${rows.length} requirements`,
            );
          else if (options.json) out(JSON.stringify(rows, null, 2));
          else {
            out(`${framework.name} ${framework.version}: ${rows.length} requirements`);
            out(
              formatTable(
                ['REQUIREMENT', 'STATUS', 'CONTROLS', 'OWNERS', 'TITLE'],
                rows.map((r) => [
                  r.id,
                  statusLabel(r.status),
                  r.controls.map((c) => c.id).join(' '),
                  r.owners.join(' '),
                  r.title,
                ]),
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
        }));
        if (options.csv !== undefined)
          await emitCsv(
            options.csv,
            stringify(
              rows.map((r) => [
                r.id,
                r.type,
                r.status,
                r.owner,
                r.title,
                r.soc2.join(' '),
                r.iso27001.join(' '),
              ]),
              { header: true, columns: ['control', 'type', 'status', 'owner', 'title', 'soc2', 'iso27001'] },
            ),
            `${rows.length} controls`,
          );
        else if (options.json) out(JSON.stringify(rows, null, 2));
        else
          out(
            formatTable(
              ['CONTROL', 'TYPE', 'STATUS', 'OWNER', 'TITLE'],
              rows.map((r) => [r.id, r.type, statusLabel(r.status), r.owner, r.title]),
            ),
          );
      } finally {
        await ctx.store.close();
      }
    });
}
