import { type Command, Option } from 'commander';
import { FRAMEWORKS } from '../core/archive/types.ts';
import type { CommandEnv } from './context.ts';
import { lazy } from './lazy.ts';

/** Days a report covers when --from is not given: the last 30, today included. */
export const DEFAULT_REPORT_DAYS = 30;

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
    .action(lazy(() => import('./report.ts'), 'runReport', env));
}
