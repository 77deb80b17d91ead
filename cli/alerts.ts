import { collectors } from '../collectors/index.ts';
import { digestGovernanceGaps } from '../controls/archive-sources.ts';
import { contactsOf, failingDigest, notificationsFor } from '../core/alerts/notify.ts';
import { ownerMessages } from '../core/alerts/owner-message.ts';
import { checkCatalog } from '../core/collector.ts';
import { alertSettings } from '../core/config.ts';
import { gapsSection } from '../core/isms/gaps.ts';
import { fitLines, formatTable } from '../core/report/table.ts';
import { type CliContext, type CommandEnv, READ_ONLY, withContext } from './context.ts';
import { loadGovernanceFor } from './governance.ts';

export interface AlertsOptions {
  readonly since?: string;
  readonly json?: boolean;
  readonly digest?: boolean;
  readonly messages?: boolean;
}

/** `proofline alerts`: the outbox of recorded transitions, the owners' messages, or the daily digest. */
export async function runAlerts(env: CommandEnv, options: AlertsOptions): Promise<void> {
  await withContext(env.globals(), READ_ONLY, async (ctx) => {
    if (options.digest) return printDigest(ctx, env, options);
    const { out, terminal } = env;
    const { governance } = await loadGovernanceFor(ctx, env.globals().governance);
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
}

/** The daily digest: what still needs attention, overdue first, with the ISMS governance gaps. */
async function printDigest(ctx: CliContext, env: CommandEnv, options: AlertsOptions): Promise<void> {
  const now = new Date();
  const digest = failingDigest(await ctx.store.controlStates(), ctx.controls, now.toISOString(), {
    checks: checkCatalog(collectors),
    dueDays: alertSettings(ctx.config).dueDays,
  });
  // Overdue audits, corrective and review actions and an unapproved or stale SoA need attention too.
  const dir = env.globals().governance;
  const gaps = await digestGovernanceGaps(ctx.store, ctx.controls, now, {
    ...(dir ? { dir } : {}),
    soaMaxAgeDays: ctx.config.isms.soaMaxAgeDays,
  });
  env.out(
    options.json
      ? JSON.stringify({ ...digest, governanceGaps: gaps }, null, 2)
      : fitLines(`${digest.subject}\n\n${digest.body}${gapsSection(gaps)}`, env.terminal.width),
  );
}
