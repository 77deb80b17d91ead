import { builtInChecks } from '../collectors/check-catalog.ts';
import { UsageError } from '../core/errors.ts';
import {
  formatResource,
  formatStatusTable,
  resourceView,
  type StatusFilter,
  statusEntries,
} from '../core/report/status.ts';
import { formatTable } from '../core/report/table.ts';
import { type CommandEnv, READ_ONLY, withContext } from './context.ts';

/** `status`, `resource` and `evidence list|show` (their options: program.ts). */

export async function runStatus(
  env: CommandEnv,
  options: StatusFilter & { all?: boolean; json?: boolean },
): Promise<void> {
  await withContext(env.globals(), READ_ONLY, async (ctx) => {
    const entries = statusEntries(
      ctx.controls,
      await ctx.store.controlStates(),
      await builtInChecks(),
      options,
    );
    env.out(
      options.json
        ? JSON.stringify(
            entries.map((e) => e.row),
            null,
            2,
          )
        : formatStatusTable(entries, { terminal: env.terminal, all: !!options.all }),
    );
  });
}

export async function runResource(env: CommandEnv, id: string, options: { json?: boolean }): Promise<void> {
  await withContext(env.globals(), READ_ONLY, async (ctx) => {
    const view = resourceView(id, ctx.controls, await ctx.store.controlStates(), await builtInChecks());
    env.out(options.json ? JSON.stringify(view, null, 2) : formatResource(view, env.terminal));
  });
}

export async function runEvidenceList(
  env: CommandEnv,
  options: { collector?: string; scope?: string; from?: string; to?: string; json?: boolean },
): Promise<void> {
  await withContext(env.globals(), READ_ONLY, async (ctx) => {
    const refs = await ctx.store.listArtifacts({
      ...(options.collector ? { collector: options.collector } : {}),
      ...(options.scope ? { scopeKey: options.scope } : {}),
      ...(options.from ? { from: options.from } : {}),
      ...(options.to ? { to: options.to } : {}),
    });
    if (options.json) env.out(JSON.stringify(refs, null, 2));
    else
      env.out(
        formatTable(
          ['COLLECTED', 'STATUS', 'BYTES', 'KEY'],
          refs.map((r) => [r.collectedAt, r.status, String(r.size), r.key]),
          env.terminal.width,
        ),
      );
  });
}

export async function runEvidenceShow(env: CommandEnv, key: string): Promise<void> {
  await withContext(env.globals(), READ_ONLY, async (ctx) => {
    if (!(await ctx.store.getArtifactRef(key)))
      throw new UsageError(`no artifact with key ${key} in ${ctx.store.location}`);
    const { artifact } = await ctx.store.getArtifact(key);
    env.out(JSON.stringify(artifact, null, 2));
  });
}
