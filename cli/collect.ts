import { runnableCollectors as registry } from '../collectors/collect.ts';
import { connectors } from '../collectors/connectors.ts';
import { collectors } from '../collectors/index.ts';
import type { ConnectOptions } from '../collectors/sources.ts';
import { checkCatalog, selectCollectors } from '../core/collector.ts';
import { EXIT, UsageError } from '../core/errors.ts';
import type { ControlResult, Transition } from '../core/model.ts';
import {
  type CollectionOutcome,
  type CollectionTarget,
  collectTargets,
  evaluateStore,
} from '../core/pipeline.ts';
import { formatStatusTable, statusEntries } from '../core/report/status.ts';
import { LocalStore } from '../core/stores/local-store.ts';
import { openSigner } from '../core/stores/open.ts';
import { describeHead, sealEndedPeriods } from './chain.ts';
import { type CliContext, type CommandEnv, withContext } from './context.ts';

export interface CollectOptions {
  readonly collector?: string[];
  readonly region?: string[];
  readonly profile?: string;
  readonly concurrency?: number;
  readonly onCall?: (service: string, operation: string) => void;
  readonly log?: (line: string) => void;
}

export interface CollectRun {
  readonly outcomes: CollectionOutcome[];
  readonly results: ControlResult[];
  readonly transitions: Transition[];
}

/**
 * The targets of every source in the scope statement. A source that is not set up is skipped with a message,
 * unless its collectors were asked for by name: then it is an error.
 */
async function resolveTargets(
  ctx: CliContext,
  options: CollectOptions,
  log: (line: string) => void,
): Promise<CollectionTarget[]> {
  const selected = selectCollectors(registry, options.collector);
  const connect: ConnectOptions = {
    env: process.env,
    ...(options.region ? { regions: options.region } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
    ...(options.onCall ? { onCall: options.onCall } : {}),
  };
  const targets: CollectionTarget[] = [];
  for (const connector of connectors) {
    const mine = selected.filter((c) => c.source === connector.source);
    if (mine.length === 0) continue;
    // Validated by the connector's schema when the context was opened.
    const config = (ctx.config.scope as Record<string, unknown>)[connector.source];
    const missing = connector.missing(config, connect);
    if (missing) {
      if (options.collector?.length)
        throw new UsageError(`cannot collect from ${connector.source}: ${missing}`);
      log(`skipping ${connector.source} (${mine.length} collectors): ${missing}`);
      continue;
    }
    targets.push(...(await connector.targets(mine, config, connect)));
  }
  return targets;
}

/** collect → store → evaluate checks → evaluate controls, printing progress per target. */
export async function runCollect(ctx: CliContext, options: CollectOptions): Promise<CollectRun> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const targets = await resolveTargets(ctx, options, log);
  let done = 0;
  const outcomes = await collectTargets(ctx.store, targets, {
    concurrency: options.concurrency ?? 4,
    settings: ctx.config.checks,
    onDone: ({ target, ref, findings }) => {
      done++;
      const failing = findings.filter((f) => f.status === 'fail').length;
      const what =
        ref.status === 'error'
          ? 'collection FAILED (recorded as an error artifact)'
          : `${findings.length} findings, ${failing} failing`;
      log(`[${done}/${targets.length}] ${target.collector.id} ${ref.scopeKey}: ${what}`);
    },
  });
  const { results, transitions } = await evaluateStore(
    ctx.store,
    ctx.controls,
    registry,
    new Date().toISOString(),
    { settings: ctx.config.checks },
  );
  // The embedded store keeps its own chain, as the deployed hourly digest function does for the AWS store.
  if (ctx.store instanceof LocalStore) {
    const signer = await openSigner(ctx.store.root);
    const written = await sealEndedPeriods(ctx.store, signer);
    log(await describeHead(ctx.store, signer, written.length));
  }
  return { outcomes, results, transitions };
}

/** `proofline collect`: a collection that failed (recorded as an error artifact) exits with `EXIT.collectionErrors`. */
export async function collectCommand(env: CommandEnv, options: CollectOptions): Promise<void> {
  await withContext(env.globals(), {}, async (ctx) => {
    const collected = await runCollect(ctx, { ...options, log: env.err });
    const failed = collected.outcomes.filter((o) => o.ref.status === 'error');
    const states = await ctx.store.controlStates();
    env.out(
      formatStatusTable(statusEntries(ctx.controls, states, checkCatalog(collectors)), {
        terminal: env.terminal,
      }),
    );
    env.out(`\nEvidence: ${ctx.store.location}`);
    for (const f of failed)
      env.out(`collection failed: ${f.target.collector.id} ${f.ref.scopeKey} → ${f.ref.key}`);
    if (failed.length) env.run.exitCode = EXIT.collectionErrors;
  });
}
