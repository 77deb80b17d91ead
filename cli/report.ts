import { rename, writeFile } from 'node:fs/promises';
import { collectors } from '../collectors/index.ts';
import { loadFrameworks } from '../controls/frameworks.ts';
import { DEFAULT_GOVERNANCE_DIR, loadGovernance } from '../controls/governance.ts';
import { ArchiveInputError, parsePeriod } from '../core/archive/period.ts';
import { type Framework, GENERATOR } from '../core/archive/types.ts';
import { UsageError } from '../core/errors.ts';
import { storeReportHtml } from '../core/report/html/index.ts';
import { type CommandEnv, outputFile, withContext } from './context.ts';
import { DEFAULT_REPORT_DAYS } from './report-commands.ts';

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

/** `proofline report`: the self-contained HTML report of the store over a period (options: report-commands.ts). */
export async function runReport(env: CommandEnv, options: ReportOptions): Promise<void> {
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
}
