import { userInfo } from 'node:os';
import { collectors } from '../collectors/index.ts';
import {
  EXCEPTION_COLLECTOR,
  ExceptionError,
  type ExceptionRecord,
  exceptionGrant,
  exceptionStates,
} from '../core/exceptions.ts';
import { evaluateStore } from '../core/pipeline.ts';
import { loadExceptionRecords } from '../core/records.ts';
import { formatTable } from '../core/report/table.ts';
import type { EvidenceStore } from '../core/stores/store.ts';
import { isIsoDay } from '../core/validate.ts';
import type { CliContext, CommandEnv } from './context.ts';
import { withContext } from './context.ts';

export const maxExceptionDays = (ctx: CliContext): number => ctx.config.exceptions.maxDays;

export const currentUser = (): string => {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
};

async function appendRecord(store: EvidenceStore, control: string, record: ExceptionRecord, at: string) {
  return store.putArtifact({
    collector: EXCEPTION_COLLECTOR,
    scope: { source: 'manual', id: control },
    collectedAt: at,
    schemaVersion: 1,
    status: 'ok',
    snapshot: record,
  });
}

/**
 * Re-evaluates after a manual record changed, so control states (and alerts) follow at once. Prints the
 * changes of the control concerned; others are counted (they may change just because time passed).
 */
export async function reevaluate(
  ctx: CliContext,
  out: (text: string) => void,
  at: string,
  control: string,
): Promise<void> {
  const { transitions } = await evaluateStore(ctx.store, ctx.controls, collectors, at, {
    settings: ctx.config.checks,
  });
  for (const t of transitions.filter((t) => t.control === control))
    out(`${t.control}: ${t.from ?? 'not evaluated'} → ${t.to}`);
  const others = transitions.filter((t) => t.control !== control).length;
  if (others > 0) out(`(${others} other controls changed status on re-evaluation; see \`proofline status\`)`);
}

export async function runExceptionAdd(
  env: CommandEnv,
  options: {
    control?: string;
    resource?: string;
    reason?: string;
    owner?: string;
    approvedBy?: string;
    expires?: string;
  },
): Promise<void> {
  const { out } = env;

  await withContext(env.globals(), {}, async (ctx) => {
    const now = new Date();
    const grant = exceptionGrant(options, ctx.controls, now, maxExceptionDays(ctx));
    const { ref } = await appendRecord(ctx.store, grant.control, grant, grant.grantedAt);
    out(
      `${grant.id} granted on ${grant.control} (${grant.resource ?? 'all resources'}) until ${grant.expiresAt}${options.expires && isIsoDay(options.expires.trim()) ? ` (the end of ${options.expires.trim()}, UTC)` : ''}, owner ${grant.owner}, approved by ${grant.approvedBy}`,
    );
    out(`  recorded as ${ref.key}`);
    await reevaluate(ctx, out, now.toISOString(), grant.control);
  });
}

export async function runExceptionList(
  env: CommandEnv,
  options: { control?: string; json?: boolean },
): Promise<void> {
  const { out } = env;

  await withContext(env.globals(), {}, async (ctx) => {
    const views = exceptionStates(await loadExceptionRecords(ctx.store), new Date()).filter(
      (v) => !options.control || v.grant.control === options.control,
    );
    if (options.json) {
      out(JSON.stringify(views, null, 2));
      return;
    }
    out(
      formatTable(
        ['ID', 'STATE', 'CONTROL', 'RESOURCE', 'EXPIRES', 'OWNER', 'APPROVED BY', 'REASON'],
        views.map((v) => [
          v.grant.id,
          v.state.toUpperCase(),
          v.grant.control,
          v.grant.resource ?? '*',
          v.grant.expiresAt.slice(0, 10),
          v.grant.owner,
          v.grant.approvedBy,
          v.grant.reason,
        ]),
        env.terminal.width,
      ),
    );
    const expired = views.filter((v) => v.state === 'expired').length;
    out(
      `\n${views.length} exceptions: ${views.filter((v) => v.state === 'active').length} active, ${expired} expired (no longer applied), ${views.filter((v) => v.state === 'revoked').length} revoked`,
    );
  });
}

export async function runExceptionRevoke(
  env: CommandEnv,
  id: string,
  options: { reason?: string; by?: string },
): Promise<void> {
  const { out } = env;

  await withContext(env.globals(), {}, async (ctx) => {
    const now = new Date();
    const view = exceptionStates(await loadExceptionRecords(ctx.store), now).find((v) => v.grant.id === id);
    if (!view) throw new ExceptionError(`no exception ${id} in ${ctx.store.location}`);
    if (view.state === 'revoked') throw new ExceptionError(`${id} is already revoked`);
    if (!options.reason?.trim()) throw new ExceptionError('a revocation needs a reason (--reason)');
    const revokedBy = options.by?.trim() || currentUser();
    const { ref } = await appendRecord(
      ctx.store,
      view.grant.control,
      { kind: 'revoke', id, reason: options.reason.trim(), revokedBy, revokedAt: now.toISOString() },
      now.toISOString(),
    );
    out(`${id} revoked by ${revokedBy}; recorded as ${ref.key}`);
    await reevaluate(ctx, out, now.toISOString(), view.grant.control);
  });
}
