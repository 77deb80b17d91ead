import type { Command } from 'commander';
import type { CommandEnv } from './context.ts';
import { lazy } from './lazy.ts';

export function registerExceptionCommands(program: Command, env: CommandEnv): void {
  const exception = program
    .command('exception')
    .description(
      'record, list and revoke exceptions: accepted failures with an owner, a reason and an expiry',
    );

  exception
    .command('add')
    .description('grant an exception: failing findings of the control (matching --resource) show as excepted')
    .option('--control <id>', 'internal control the exception applies to')
    .option(
      '--resource <pattern>',
      'resources covered: a glob over finding resources (* and ?); default: all',
    )
    .option('--reason <text>', 'why the failure is accepted')
    .option('--owner <name>', 'who is accountable until it expires')
    .option('--approved-by <name>', 'who approved it')
    .option('--expires <date>', 'expiry, YYYY-MM-DD (through the end of that UTC day) or ISO 8601; required')
    .action(lazy(() => import('./exceptions.ts'), 'runExceptionAdd', env));

  exception
    .command('list')
    .description('list every exception with its state: active, expired or revoked')
    .option('--control <id>', 'only this control')
    .option('--json', 'machine-readable output')
    .action(lazy(() => import('./exceptions.ts'), 'runExceptionList', env));

  exception
    .command('revoke')
    .description('revoke an exception (a new record; the grant stays in the evidence)')
    .argument('<id>', 'exception id, e.g. EXC-1A2B3C4D5E')
    .option('--reason <text>', 'why it is revoked')
    .option('--by <name>', 'who revokes it (default: the current user)')
    .action(lazy(() => import('./exceptions.ts'), 'runExceptionRevoke', env));
}
