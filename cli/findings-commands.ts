import { type Command, Option } from 'commander';
import { FRAMEWORKS } from '../core/archive/types.ts';
import type { CommandEnv } from './context.ts';
import { lazy } from './lazy.ts';

export const FINDINGS_FORMATS = ['csv', 'asff', 'ocsf'] as const;
export type FindingsFormat = (typeof FINDINGS_FORMATS)[number];

export function registerFindingsCommand(program: Command, env: CommandEnv): void {
  program
    .command('findings')
    .description(
      'write every current finding (check, resource, status, severity, reason, fix, controls, requirements, evidence) as CSV, ASFF or OCSF',
    )
    .addOption(
      new Option('--format <format>', 'csv, asff or ocsf').choices(FINDINGS_FORMATS).makeOptionMandatory(),
    )
    .requiredOption('--out <file>', 'the file to write (replaced if it exists), or - for standard output')
    .addOption(
      new Option('--framework <name>', 'only controls mapped to soc2 or iso27001').choices([...FRAMEWORKS]),
    )
    .option('--failing', 'only failing findings')
    .option('--aws-account <id>', 'asff: the account that imports the findings (their AwsAccountId)')
    .option('--region <region>', 'asff: the Security Hub region (default: AWS_REGION)')
    .action(lazy(() => import('./findings.ts'), 'runFindings', env));
}
