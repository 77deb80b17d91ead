import { type Command, Option } from 'commander';
import { FRAMEWORKS } from '../core/archive/types.ts';
import type { ArchiveEnv } from './export.ts';
import { lazy } from './lazy.ts';
import { positiveInt, repeatable } from './options.ts';

/** `export` and `verify`: their options here, their implementation (zip, CSV, verification) in export.ts. */
export function registerArchiveCommands(program: Command, env: ArchiveEnv): void {
  program
    .command('export')
    .description('write a signed evidence archive (zip) for an auditor: one framework, one period')
    .addOption(
      new Option('--framework <name>', 'soc2 or iso27001').choices([...FRAMEWORKS]).makeOptionMandatory(),
    )
    .requiredOption('--from <date>', 'first day of the audit period, YYYY-MM-DD (UTC)')
    .requiredOption('--to <date>', 'last day of the audit period, YYYY-MM-DD (UTC, included)')
    .option(
      '--control <id>',
      'only this internal control (repeatable; default: all mapped to the framework)',
      repeatable,
    )
    .option(
      '--scope <scope>',
      'only this scope: an account/tenant id or a scope key (repeatable)',
      repeatable,
    )
    .option(
      '--sample <n>',
      'draw N items per control into samples.csv (default: by frequency: annual 1, quarterly 2, monthly 2, weekly 5, daily 25, many a day 40)',
      positiveInt,
    )
    .option('--seed <seed>', 'seed of the sample draw (default: random, recorded in the archive)')
    .option('--compress', 'deflate the files (smaller, slower); default: stored')
    .requiredOption('--out <file>', 'the zip to write')
    .option(
      '--url <export-url>',
      'instead of building here, have the deployed export function build it (the stack’s ExportUrl; AWS credentials from the environment), then download and verify it',
    )
    .option(
      '--fingerprint <hex>',
      'with --url: the publisher’s signing-key fingerprint the archive must match',
    )
    .action(lazy(() => import('./export.ts'), 'runExport', env));

  program
    .command('verify')
    .description('verify an evidence archive offline: signature, every hash, nothing missing or added')
    .argument('<archive>', 'the zip to verify')
    .option('--public-key <pem>', 'the publisher’s public key (PEM file) the archive must be signed with')
    .option('--fingerprint <hex>', 'or the SHA-256 fingerprint of that key')
    .option('--json', 'machine-readable report')
    .action(lazy(() => import('./export.ts'), 'runVerify', env));
}
