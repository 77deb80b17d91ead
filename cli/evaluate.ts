import { collectors } from '../collectors/index.ts';
import { selectCollectors } from '../core/collector.ts';
import { collectorPolicy } from '../core/permissions.ts';
import { evaluateStore } from '../core/pipeline.ts';
import { type CommandEnv, withContext } from './context.ts';

/** `evaluate` and `permissions`: the commands that need the collector definitions with their checks' code. */

export async function runEvaluate(env: CommandEnv): Promise<void> {
  await withContext(env.globals(), {}, async (ctx) => {
    const { transitions } = await evaluateStore(
      ctx.store,
      ctx.controls,
      collectors,
      new Date().toISOString(),
      {
        settings: ctx.config.checks,
      },
    );
    for (const t of transitions) env.out(`${t.control}: ${t.from ?? 'new'} → ${t.to}`);
    env.out(`${ctx.controls.length} controls evaluated, ${transitions.length} changed status`);
  });
}

/** The definitions carry the permissions: printing them loads no collect code and no vendor SDK. */
export async function runPermissions(env: CommandEnv, options: { collector?: string[] }): Promise<void> {
  env.out(JSON.stringify(collectorPolicy(selectCollectors(collectors, options.collector)), null, 2));
}
