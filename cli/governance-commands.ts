import type { Command } from 'commander';
import type { CommandEnv } from './context.ts';
import { lazy } from './lazy.ts';

export function registerGovernanceCommands(program: Command, env: CommandEnv): void {
  program
    .command('governance')
    .description(
      'report governance gaps: risks without a treating control, controls treating no risk, requirements not implemented, owners, manual evidence due, exceptions',
    )
    .option('--json', 'machine-readable output')
    .option(
      '--record',
      'keep a copy of the governance files as evidence (when they changed) and re-evaluate the controls',
    )
    .action(lazy(() => import('./governance.ts'), 'runGovernance', env));

  program
    .command('system-description')
    .description(
      'print the SOC 2 system description skeleton: scope, components, owners, controls, subservice organisations with CSOCs, CUECs',
    )
    .option('--json', 'machine-readable output')
    .action(lazy(() => import('./governance.ts'), 'runSystemDescription', env));

  program
    .command('soa')
    .description('generate the ISO/IEC 27001:2022 Statement of Applicability: all 93 Annex A controls')
    .option('--csv <file>', 'write the statement as CSV to this file')
    .option('--json', 'print the statement as JSON')
    .action(lazy(() => import('./governance.ts'), 'runSoa', env));
}
