import { collectors } from '../collectors/index.ts';
import { UsageError } from '../core/errors.ts';
import { evaluateStore } from '../core/pipeline.ts';
import { reindexStore } from '../core/stores/reindex.ts';
import { type CommandEnv, withContext } from './context.ts';

/**
 * `proofline reindex`: rebuilds the embedded store's index from its evidence and digest files, then
 * re-evaluates every control from the latest evidence. Run it with no other command writing to the store.
 */
export async function runReindex(env: CommandEnv): Promise<void> {
  const { out } = env;
  const globals = env.globals();
  const now = new Date();
  if (globals.store.startsWith('s3://'))
    throw new UsageError(
      'reindex rebuilds the embedded store; the deployed store keeps its index in DynamoDB',
    );
  const result = await reindexStore(globals.store);
  if (result.previousIndex) out(`previous index kept as ${result.previousIndex}`);
  out(
    `indexed ${result.artifacts} artifacts (${result.datedByDigest} with the write time their digest records, ${
      result.artifacts - result.datedByDigest
    } with their file's time) and ${result.digests} digests`,
  );
  for (const s of result.skipped) out(`  not indexed: ${s.key}: ${s.reason}`);
  if (result.tempFilesRemoved)
    out(`removed ${result.tempFilesRemoved} temporary files left by interrupted writes`);
  const evaluated = await withContext(globals, {}, (ctx) =>
    evaluateStore(ctx.store, ctx.controls, collectors, now.toISOString(), { settings: ctx.config.checks }),
  );
  out(`re-evaluated ${evaluated.results.length} controls from the latest evidence at ${now.toISOString()}`);
  out(
    'not rebuilt (not in the files): the history of status transitions and which evidence stood behind past results; history starts again now',
  );
  out('next: run "proofline verify-chain" to check the rebuilt index against the signed digests');
}
