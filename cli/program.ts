import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { collectors } from '../collectors/index.ts';
import { contactsOf, failingDigest, notificationsFor } from '../core/alerts/notify.ts';
import { ownerMessages } from '../core/alerts/owner-message.ts';
import { checkCatalog, selectCollectors } from '../core/collector.ts';
import { alertSettings } from '../core/config.ts';
import { EXIT, ProoflineError, UsageError } from '../core/errors.ts';
import { SEVERITIES, type Source } from '../core/model.ts';
import { collectorPolicy } from '../core/permissions.ts';
import { evaluateStore } from '../core/pipeline.ts';
import {
  formatResource,
  formatStatusTable,
  resourceView,
  type StatusFilter,
  statusEntries,
} from '../core/report/status.ts';
import { fitLines, formatTable, PLAIN, type Terminal, terminalOf } from '../core/report/table.ts';
import { storageFailure } from '../core/stores/storage-errors.ts';
import { parseIsoTime } from '../core/validate.ts';
import { formatAccessReview, runAccessReview } from './access-review.ts';
import { registerArchiveCommands } from './archive-commands.ts';
import { runDigest, runVerifyChain } from './chain.ts';
import { type CommandEnv, type GlobalOptions, READ_ONLY, withContext } from './context.ts';
import { registerControlsCommand } from './controls.ts';
import { registerExceptionCommands } from './exceptions.ts';
import { registerFindingsCommand } from './findings.ts';
import { loadGovernanceFor, registerGovernanceCommands } from './governance.ts';
import { registerIsmsCommands } from './isms.ts';
import { registerUploadCommand } from './manual-evidence.ts';
import { positiveInt, repeatable } from './options.ts';
import { registerReportCommand } from './report.ts';

/** The AWS SDK's own error when the credential chain finds nothing: the user's to fix, like ours. */
const isMissingAwsCredentials = (error: unknown): boolean =>
  error instanceof Error && error.name === 'CredentialsProviderError';

const isoDate = (value: string): string => {
  const date = parseIsoTime(value);
  if (!date)
    throw new InvalidArgumentError(
      `"${value}" is not a date: use YYYY-MM-DD or an ISO 8601 time with its zone (2026-12-31T18:00:00Z)`,
    );
  return date.toISOString();
};

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

const choice =
  <T extends string>(what: string, values: readonly T[]) =>
  (value: string): T => {
    if (!values.includes(value as T))
      throw new InvalidArgumentError(`"${value}" is not a ${what} (one of ${values.join(', ')})`);
    return value as T;
  };
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
  const terminal = io.terminal ?? PLAIN;
  const env: CommandEnv = { out, globals: storeOptions, terminal };
  const checks = checkCatalog(collectors);

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
    .action(async (options) => {
      await withContext(storeOptions(), {}, async (ctx) => {
        // Loaded here: collecting brings the vendor SDKs (AWS, GitHub, the IdPs) that no other command needs.
        const { runCollect } = await import('./collect.ts');
        const collected = await runCollect(ctx, { ...options, log: io.err });
        const failed = collected.outcomes.filter((o) => o.ref.status === 'error');
        out(
          formatStatusTable(statusEntries(ctx.controls, await ctx.store.controlStates(), checks), {
            terminal,
          }),
        );
        out(`\nEvidence: ${ctx.store.location}`);
        for (const f of failed)
          out(`collection failed: ${f.target.collector.id} ${f.ref.scopeKey} → ${f.ref.key}`);
        if (failed.length) run.exitCode = EXIT.collectionErrors;
      });
    });

  program
    .command('evaluate')
    .description('re-evaluate every control on the latest evidence in the store')
    .action(async () => {
      await withContext(storeOptions(), {}, async (ctx) => {
        const { transitions } = await evaluateStore(
          ctx.store,
          ctx.controls,
          collectors,
          new Date().toISOString(),
          { settings: ctx.config.checks },
        );
        for (const t of transitions) out(`${t.control}: ${t.from ?? 'new'} → ${t.to}`);
        out(`${ctx.controls.length} controls evaluated, ${transitions.length} changed status`);
      });
    });

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
    .action(async (options: StatusFilter & { all?: boolean; json?: boolean }) => {
      await withContext(storeOptions(), READ_ONLY, async (ctx) => {
        const entries = statusEntries(ctx.controls, await ctx.store.controlStates(), checks, options);
        out(
          options.json
            ? JSON.stringify(
                entries.map((e) => e.row),
                null,
                2,
              )
            : formatStatusTable(entries, { terminal, all: !!options.all }),
        );
      });
    });

  program
    .command('resource')
    .description(
      'one resource across the catalog: each failing check with reason, fix and the controls using it',
    )
    .argument('<id>', 'the resource as `status` prints it, e.g. acme/web or an ARN')
    .option('--json', 'machine-readable output')
    .action(async (id: string, options: { json?: boolean }) => {
      await withContext(storeOptions(), READ_ONLY, async (ctx) => {
        const view = resourceView(id, ctx.controls, await ctx.store.controlStates(), checks);
        out(options.json ? JSON.stringify(view, null, 2) : formatResource(view, terminal));
      });
    });

  const evidence = program.command('evidence').description('list and show stored evidence');
  evidence
    .command('list')
    .description('list artifacts, oldest first')
    .option('--collector <id>', 'only this collector')
    .option('--scope <scope>', 'only this scope, e.g. 123456789012-global')
    .option('--from <date>', 'collected at or after', isoDate)
    .option('--to <date>', 'collected before', isoDate)
    .option('--json', 'machine-readable output')
    .action(
      async (options: { collector?: string; scope?: string; from?: string; to?: string; json?: boolean }) => {
        await withContext(storeOptions(), READ_ONLY, async (ctx) => {
          const refs = await ctx.store.listArtifacts({
            ...(options.collector ? { collector: options.collector } : {}),
            ...(options.scope ? { scopeKey: options.scope } : {}),
            ...(options.from ? { from: options.from } : {}),
            ...(options.to ? { to: options.to } : {}),
          });
          if (options.json) out(JSON.stringify(refs, null, 2));
          else
            out(
              formatTable(
                ['COLLECTED', 'STATUS', 'BYTES', 'KEY'],
                refs.map((r) => [r.collectedAt, r.status, String(r.size), r.key]),
                terminal.width,
              ),
            );
        });
      },
    );
  evidence
    .command('show')
    .description('print an artifact after checking its SHA-256')
    .argument('<key>', 'evidence key, as printed by `evidence list`')
    .action(async (key: string) => {
      await withContext(storeOptions(), READ_ONLY, async (ctx) => {
        if (!(await ctx.store.getArtifactRef(key)))
          throw new UsageError(`no artifact with key ${key} in ${ctx.store.location}`);
        const { artifact } = await ctx.store.getArtifact(key);
        out(JSON.stringify(artifact, null, 2));
      });
    });

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
    .action(async (options: { since?: string; json?: boolean; digest?: boolean; messages?: boolean }) => {
      await withContext(storeOptions(), READ_ONLY, async (ctx) => {
        if (options.digest) {
          const now = new Date();
          const digest = failingDigest(await ctx.store.controlStates(), ctx.controls, now.toISOString(), {
            checks,
            dueDays: alertSettings(ctx.config).dueDays,
          });
          // Overdue audits, corrective and review actions and an unapproved or stale SoA need attention too.
          const dir = storeOptions().governance;
          const { digestGovernanceGaps } = await import('../controls/archive-sources.ts');
          const { gapsSection } = await import('../core/isms/gaps.ts');
          const gaps = await digestGovernanceGaps(ctx.store, ctx.controls, now, {
            ...(dir ? { dir } : {}),
            soaMaxAgeDays: ctx.config.isms.soaMaxAgeDays,
          });
          out(
            options.json
              ? JSON.stringify({ ...digest, governanceGaps: gaps }, null, 2)
              : fitLines(`${digest.subject}\n\n${digest.body}${gapsSection(gaps)}`, terminal.width),
          );
          return;
        }
        const { governance } = await loadGovernanceFor(ctx, storeOptions().governance);
        const transitions = await ctx.store.transitions(options.since ? { from: options.since } : {});
        const notifications = notificationsFor(transitions, {
          controls: ctx.controls,
          collectors,
          ownerContacts: contactsOf(governance.owners),
        });
        const { reportUrl } = alertSettings(ctx.config);
        const messages = ownerMessages(notifications, reportUrl ? { reportUrl } : {});
        if (options.json)
          out(
            JSON.stringify(
              options.messages
                ? messages.map(({ notifications: _, ...m }) => m)
                : notifications.map((n) => ({ 'detail-type': n.kind, detail: n.detail })),
              null,
              2,
            ),
          );
        else if (options.messages)
          out(messages.map((m) => fitLines(`${m.subject}\n\n${m.body}`, terminal.width)).join('\n\n---\n\n'));
        else {
          out(
            formatTable(
              ['AT', 'ALERT'],
              notifications.map((n) => [n.detail.at, n.subject]),
              terminal.width,
            ),
          );
          out(
            fitLines(
              `\n${notifications.length} alerts in ${messages.length} messages, one per owner (alerts --messages)`,
              terminal.width,
            ),
          );
        }
      });
    });

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
    .action(async (options: { csv?: string; identityMap?: string; record?: boolean }) => {
      await withContext(storeOptions(), { readOnly: !options.record }, async (ctx) => {
        const result = await runAccessReview(ctx, options);
        out(formatAccessReview(result, options.csv));
        if (!result.review) run.exitCode = EXIT.collectionErrors;
      });
    });

  program
    .command('permissions')
    .description('print the IAM policy the AWS collectors need (read-only, exactly the actions they call)')
    .option('--collector <id>', 'only these collectors (repeatable)', repeatable)
    .action(async (options: { collector?: string[] }) => {
      // The definitions carry the permissions: printing them loads no collect code and no vendor SDK.
      out(JSON.stringify(collectorPolicy(selectCollectors(collectors, options.collector)), null, 2));
    });

  program
    .command('digest')
    .description('write the signed digest of every period that has ended (safe to repeat)')
    .option(
      '--until <date>',
      'write digests for periods ending at or before this time (default: a minute ago)',
      isoDate,
    )
    .option('--period <length>', 'digest period, e.g. 15m, 1h, 1d (applies from the chain head on)', '1h')
    .action(async (options: { until?: string; period?: string }) => {
      await runDigest(storeOptions().store, options, out);
    });

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
    .action(async (options: { from?: string; to?: string; publicKey?: string[]; json?: boolean }) => {
      const result = await runVerifyChain(storeOptions().store, options, out);
      if (!result.ok) run.exitCode = EXIT.chainProblems;
    });

  program
    .command('reindex')
    .description("rebuild the embedded store's index from its evidence and digest files, then re-evaluate")
    .action(async () => {
      const { runReindex } = await import('./reindex.ts');
      await runReindex(storeOptions(), out);
    });

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
