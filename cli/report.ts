import { rename, writeFile } from 'node:fs/promises';
import { type Command, Option } from 'commander';
import { collectors } from '../collectors/index.ts';
import { loadFrameworks } from '../controls/frameworks.ts';
import { DEFAULT_GOVERNANCE_DIR, loadGovernance } from '../controls/governance.ts';
import { ArchiveInputError, parsePeriod } from '../core/archive/period.ts';
import { FRAMEWORKS, type Framework, GENERATOR } from '../core/archive/types.ts';
import { UsageError } from '../core/errors.ts';
import { storeReportHtml } from '../core/report/html/index.ts';
import { type CommandEnv, outputFile, withContext } from './context.ts';

/** Days a report covers when --from is not given: the last 30, today included. */
export const DEFAULT_REPORT_DAYS = 30;

export interface ReportOptions {
  readonly from?: string;
  readonly to?: string;
  readonly framework?: Framework;
  readonly out: string;
}

const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The period asked for: --to defaults to today (UTC), --from to 30 days up to --to. */
export function reportPeriod(options: Pick<ReportOptions, 'from' | 'to'>, now: Date) {
  const to = options.to ?? utcDay(now.getTime());
  try {
    const last = parsePeriod(to, to);
    const from = options.from ?? utcDay(Date.parse(last.start) - (DEFAULT_REPORT_DAYS - 1) * 86_400_000);
    return parsePeriod(from, to);
  } catch (error) {
    if (error instanceof ArchiveInputError) throw new UsageError(error.message);
    throw error;
  }
}

/** `proofline report`: the self-contained HTML report of the store over a period. */
export function registerReportCommand(program: Command, env: CommandEnv): void {
  program
    .command('report')
    .description('write a self-contained HTML report: overview, every control, failing resources, owners')
    .option('--from <date>', `first day, YYYY-MM-DD (UTC; default: ${DEFAULT_REPORT_DAYS} days up to --to)`)
    .option('--to <date>', 'last day, YYYY-MM-DD (UTC, included; default: today)')
    .addOption(
      new Option('--framework <name>', 'only controls mapped to soc2 or iso27001').choices([...FRAMEWORKS]),
    )
    .requiredOption('--out <file>', 'the HTML file to write (replaced if it exists)')
    .action(async (options: ReportOptions) => {
      const now = new Date();
      const period = reportPeriod(options, now);
      const path = await outputFile(options.out, { replace: true });
      const globals = env.globals();
      await withContext(globals, {}, async (ctx) => {
        const frameworks = await loadFrameworks();
        const governance = await loadGovernance(globals.governance ?? DEFAULT_GOVERNANCE_DIR, {
          controls: ctx.controls,
          frameworks,
        });
        const page = await storeReportHtml({
          store: ctx.store,
          controls: ctx.controls,
          collectors,
          frameworks,
          ...(options.framework ? { framework: options.framework } : {}),
          owners: governance.owners,
          period,
          now,
          generator: GENERATOR,
        });
        const partial = `${path}.partial`;
        await writeFile(partial, page).catch((error: Error) => {
          throw new UsageError(`cannot write ${options.out}: ${error.message}`);
        });
        await rename(partial, path);
        env.out(
          `Report: ${path} (${(Buffer.byteLength(page) / 1e3).toFixed(1)} kB), ${period.from} to ${period.to}; open it in a browser`,
        );
      });
    });
}
