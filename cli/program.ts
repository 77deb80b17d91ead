import { Command, CommanderError, Option } from 'commander';
import { EXIT, ProoflineError } from '../core/errors.ts';
import { SEVERITIES, type Source } from '../core/model.ts';
import { PLAIN, type Terminal, terminalOf } from '../core/report/table.ts';
import { storageFailure } from '../core/stores/storage-errors.ts';
import { registerArchiveCommands } from './archive-commands.ts';
import type { CommandEnv, GlobalOptions } from './context.ts';
import { registerControlsCommand } from './controls-commands.ts';
import { registerExceptionCommands } from './exception-commands.ts';
import { registerFindingsCommand } from './findings-commands.ts';
import { registerGovernanceCommands } from './governance-commands.ts';
import { registerIsmsCommands } from './isms-commands.ts';
import { lazy } from './lazy.ts';
import { registerUploadCommand } from './manual-evidence-commands.ts';
import { choice, isoDate, positiveInt, repeatable } from './options.ts';
import { registerReportCommand } from './report-commands.ts';

/*
 * The command table: every command's name, description and options, and its action loaded when it runs
 * (`lazy`), so `--help` and each command load only what they use. Keep implementations out of this module
 * and out of the *-commands.ts modules it imports: a test fails when this table reaches zod, yaml or an SDK.
 */

/** The AWS SDK's own error when the credential chain finds nothing: the user's to fix, like ours. */
const isMissingAwsCredentials = (error: unknown): boolean =>
  error instanceof Error && error.name === 'CredentialsProviderError';

export interface Io {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** Width and colour of `out` (default: 80 columns, no colour). */
  readonly terminal?: Terminal;
}

/**
 * Standard output and error. A reader that goes away early (`proofline status | head`) ends the process
 * quietly: EPIPE is the reader's choice, not an error worth a stack trace.
 */
function processIo(): Io {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? EXIT.ok);
  });
  return {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
    terminal: terminalOf(process.stdout, process.env),
  };
}

const SOURCES: readonly Source[] = ['aws', 'github', 'okta', 'entra', 'google', 'identity-center', 'manual'];

/** The command tree. Actions report their exit code through `run` rather than the process. */
export function buildProgram(io: Io, run: { exitCode: number }): Command {
  const out = io.out;
  const program = new Command('proofline')
    .configureOutput({ writeOut: (t) => io.out(t.trimEnd()), writeErr: (t) => io.err(t.trimEnd()) })
    .description('Continuous compliance evidence for SOC 2 and ISO/IEC 27001:2022')
    .option(
      '--store <dir|url>',
      'evidence store: a folder (embedded store) or s3://<bucket>?table=<table>&key=<kms key id>',
      '.proofline',
    )
    .option(
      '--controls <path>',
      'internal controls: a YAML file or a folder of them (default: the built-in catalog)',
    )
    .option('--config <file>', 'scope statement and settings (default: ./proofline.config.yaml when present)')
    .option(
      '--governance <dir>',
      'governance files: owners.yaml, risks.yaml, applicability.yaml (default: the shipped examples)',
    )
    .showHelpAfterError()
    .exitOverride();

  const storeOptions = () => program.opts<GlobalOptions>();
  const env: CommandEnv = { out, err: io.err, globals: storeOptions, terminal: io.terminal ?? PLAIN, run };

  program
    .command('collect')
    .description('collect configuration snapshots, store them as evidence and evaluate the controls')
    .option('--collector <id>', 'collector to run (repeatable; default: all)', repeatable)
    .option(
      '--region <region>',
      'AWS region for regional collectors (repeatable; default: AWS_REGION or us-east-1)',
      repeatable,
    )
    .option('--profile <name>', 'AWS profile (default: the standard credential chain)')
    .option('--concurrency <n>', 'collections in parallel', positiveInt, 4)
    // Collecting brings the vendor SDKs (AWS, GitHub, the IdPs) that no other command needs.
    .action(lazy(() => import('./collect.ts'), 'collectCommand', env));

  program
    .command('evaluate')
    .description('re-evaluate every control on the latest evidence in the store')
    .action(lazy(() => import('./evaluate.ts'), 'runEvaluate', env));

  program
    .command('status')
    .description(
      'show every control, failing first (most severe, then oldest): failing resources with severity, reason and fix',
    )
    .option('--owner <role>', 'only controls of this owner role')
    .option('--severity <level>', 'only failures of this severity or worse', choice('severity', SEVERITIES))
    .option(
      '--framework <id>',
      'only controls mapped to soc2 or iso27001',
      choice('framework', ['soc2', 'iso27001']),
    )
    .option('--source <source>', 'only controls with checks of this source', choice('source', SOURCES))
    .option('--failing', 'only failing controls')
    .option('--all', 'every failing resource, and each control due for manual evidence on its own line')
    .option('--json', 'machine-readable output')
    .action(lazy(() => import('./status.ts'), 'runStatus', env));

  program
    .command('resource')
    .description(
      'one resource across the catalog: each failing check with reason, fix and the controls using it',
    )
    .argument('<id>', 'the resource as `status` prints it, e.g. acme/web or an ARN')
    .option('--json', 'machine-readable output')
    .action(lazy(() => import('./status.ts'), 'runResource', env));

  const evidence = program.command('evidence').description('list and show stored evidence');
  evidence
    .command('list')
    .description('list artifacts, oldest first')
    .option('--collector <id>', 'only this collector')
    .option('--scope <scope>', 'only this scope, e.g. 123456789012-global')
    .option('--from <date>', 'collected at or after', isoDate)
    .option('--to <date>', 'collected before', isoDate)
    .option('--json', 'machine-readable output')
    .action(lazy(() => import('./status.ts'), 'runEvidenceList', env));
  evidence
    .command('show')
    .description('print an artifact after checking its SHA-256')
    .argument('<key>', 'evidence key, as printed by `evidence list`')
    .action(lazy(() => import('./status.ts'), 'runEvidenceShow', env));

  registerUploadCommand(evidence, env);
  registerControlsCommand(program, env);
  registerGovernanceCommands(program, env);
  registerExceptionCommands(program, env);
  registerIsmsCommands(program, env);
  registerReportCommand(program, env);
  registerFindingsCommand(program, env);

  program
    .command('alerts')
    .description('print the alerts the recorded control transitions raise (the outbox)')
    .option('--since <date>', 'only transitions at or after this time', isoDate)
    .option('--json', 'machine-readable output (the EventBridge event details)')
    .option(
      '--messages',
      'the messages the alert topic gets: one per owner, each failing check and resource once',
    )
    .option(
      '--digest',
      'instead, the daily digest: what still needs attention, overdue first, then by severity and age',
    )
    .action(lazy(() => import('./alerts.ts'), 'runAlerts', env));

  program
    .command('access-review')
    .description(
      'join identities across the IdP, IAM Identity Center, IAM and GitHub; with --record, store the review as evidence',
    )
    .option('--csv <file>', 'write who-has-what per system as CSV ("-" for standard output)')
    .option(
      '--identity-map <file>',
      'usernames → people and service accounts (default: governance/identity-map.yaml)',
    )
    .option(
      '--record',
      'store the review as evidence and re-evaluate the controls (needs a filled identity map)',
    )
    .action(lazy(() => import('./access-review.ts'), 'accessReviewCommand', env));

  program
    .command('permissions')
    .description('print the IAM policy the AWS collectors need (read-only, exactly the actions they call)')
    .option('--collector <id>', 'only these collectors (repeatable)', repeatable)
    .action(lazy(() => import('./evaluate.ts'), 'runPermissions', env));

  program
    .command('digest')
    .description('write the signed digest of every period that has ended (safe to repeat)')
    .option(
      '--until <date>',
      'write digests for periods ending at or before this time (default: a minute ago)',
      isoDate,
    )
    .option('--period <length>', 'digest period, e.g. 15m, 1h, 1d (applies from the chain head on)', '1h')
    .action(lazy(() => import('./chain.ts'), 'runDigest', env));

  program
    .command('verify-chain')
    .description('verify the digest chain: every period signed, linked, and every artifact unaltered')
    .option(
      '--from <date>',
      'verify periods ending after this time (default: the start of the chain)',
      isoDate,
    )
    .option('--to <date>', 'verify periods ending at or before this time (default: 15 minutes ago)', isoDate)
    .option(
      '--public-key <file>',
      "trusted public key, PEM (repeatable; default: the store's signing key)",
      repeatable,
    )
    .option('--json', 'machine-readable output')
    .action(lazy(() => import('./chain.ts'), 'runVerifyChain', env));

  program
    .command('reindex')
    .description("rebuild the embedded store's index from its evidence and digest files, then re-evaluate")
    .action(lazy(() => import('./reindex.ts'), 'runReindex', env));

  program
    .command('demo')
    .description('run the whole pipeline against an emulated AWS account (needs moto_server)')
    .addOption(new Option('--keep', 'keep the demo store folder instead of starting fresh'))
    .action(async (options: { keep?: boolean }) => {
      const { runDemo } = await import('../demo/run.ts');
      run.exitCode = await runDemo({
        store: storeOptions().store === '.proofline' ? '.proofline-demo' : storeOptions().store,
        keep: !!options.keep,
        out,
      });
    });

  registerArchiveCommands(program, { io, run, globals: storeOptions });

  return program;
}

/**
 * Runs the CLI; returns the exit code. A ProoflineError is printed as its one line and exits with its code;
 * anything else is a defect and keeps its stack.
 */
export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
  const run = { exitCode: EXIT.ok as number };
  try {
    await buildProgram(io, run).parseAsync([...argv]);
    return run.exitCode;
  } catch (error) {
    return reportFailure(error, io.err);
  }
}

/**
 * What the CLI prints and returns when a command throws: a ProoflineError (or the SDK's missing-credentials
 * error) as its one line with its exit code; anything else is a defect and keeps its stack.
 */
export function reportFailure(thrown: unknown, err: (text: string) => void): number {
  // A damaged index or a full disk found mid-command: one line, like any error Proofline names.
  const error = storageFailure(thrown) ?? thrown;
  if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  if (error instanceof ProoflineError || isMissingAwsCredentials(error)) {
    err(`proofline: ${(error as Error).message}`);
    return error instanceof ProoflineError ? error.exitCode : EXIT.error;
  }
  const e = error instanceof Error ? error : new Error(String(error));
  err(`proofline: ${e.stack ?? e.message}`);
  return EXIT.error;
}
