import { type Command, Option } from 'commander';
import type { CommandEnv } from './context.ts';
import { lazy } from './lazy.ts';

export function registerControlsCommand(program: Command, env: CommandEnv): void {
  program
    .command('controls')
    .description(
      'list the internal controls; with --framework, every requirement with its controls, owners, status and links (what evidences it, and why); with --crosswalk, the SOC 2 ↔ ISO 27001 pairs that share evidence; with --coverage, which requirements have automated evidence',
    )
    .addOption(
      new Option('--framework <id>', 'show the requirements of this framework').choices(['soc2', 'iso27001']),
    )
    .option('--crosswalk', 'SOC 2 criteria and ISO 27001 requirements met by the same evidence of a control')
    .option(
      '--coverage',
      'per framework (or the one --framework names): requirements with automated evidence, manual only, or none, with the rationale of each link',
    )
    .option('--csv [file]', 'CSV output, to the file if given (else standard output)')
    .option('--json', 'machine-readable output')
    .action(lazy(() => import('./controls.ts'), 'runControls', env));
}
