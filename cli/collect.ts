import { AwsSession } from '../collectors/aws/session.ts';
import { awsTargets } from '../collectors/aws/targets.ts';
import { collectors as registry } from '../collectors/index.ts';
import type { AnyCollector } from '../core/collector.ts';
import type { ControlResult, Transition } from '../core/model.ts';
import { type CollectionOutcome, collectTargets, evaluateStore } from '../core/pipeline.ts';
import type { CliContext } from './context.ts';
import { UsageError } from './context.ts';

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

export function selectCollectors(ids: readonly string[] | undefined): AnyCollector[] {
  if (!ids?.length) return [...registry];
  const unknown = ids.filter((id) => !registry.some((c) => c.id === id));
  if (unknown.length) {
    throw new UsageError(
      `unknown collector ${unknown.join(', ')}; known: ${registry.map((c) => c.id).join(', ')}`,
    );
  }
  return registry.filter((c) => ids.includes(c.id));
}

/** collect → store → evaluate checks → evaluate controls, printing progress per target. */
export async function runCollect(ctx: CliContext, options: CollectOptions): Promise<CollectRun> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const regions = options.region?.length
    ? options.region
    : [process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1'];
  const session = new AwsSession({
    homeRegion: regions[0],
    ...(options.profile ? { profile: options.profile } : {}),
    ...(options.onCall ? { onCall: options.onCall } : {}),
  });
  const targets = await awsTargets(session, selectCollectors(options.collector), regions);
  let done = 0;
  const outcomes = await collectTargets(ctx.store, targets, {
    concurrency: options.concurrency ?? 4,
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
  );
  return { outcomes, results, transitions };
}
