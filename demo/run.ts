import { readFile, rm } from 'node:fs/promises';
import { runCollect } from '../cli/collect.ts';
import { openContext } from '../cli/context.ts';
import { collectors } from '../collectors/index.ts';
import { notificationsFor } from '../core/alerts/notify.ts';
import { ownerMessages } from '../core/alerts/owner-message.ts';
import { sha256Hex } from '../core/canonical.ts';
import { checkCatalog } from '../core/collector.ts';
import { parseEvidenceKey } from '../core/evidence-key.ts';
import { formatStatusTable, statusEntries } from '../core/report/status.ts';
import type { LocalStore } from '../core/stores/local-store.ts';
import { exportAndVerifyDemoArchive } from './export.ts';
import { startGitHubDemo } from './github.ts';
import { startOktaDemo } from './identity-demo.ts';
import { seedIsmsRecords } from './isms.ts';
import { emulatorEnv, MOTO_INSTALL_HINT, MotoUnavailableError, startMoto } from './moto.ts';
import { seedDemoAccount } from './seed-aws.ts';
import { DEMO_UNWATCHED_REGION } from './seed-aws-detection.ts';

export interface DemoOptions {
  readonly store: string;
  readonly keep: boolean;
  readonly out: (text: string) => void;
}

/**
 * The whole pipeline on one machine: an emulated AWS account with deliberate misconfigurations →
 * collect → immutable evidence → checks → control status. Returns the exit code.
 */
export async function runDemo({ store, keep, out }: DemoOptions): Promise<number> {
  let moto: Awaited<ReturnType<typeof startMoto>>;
  try {
    moto = await startMoto();
  } catch (error) {
    if (!(error instanceof MotoUnavailableError)) throw error;
    out(
      `The demo runs against moto_server, a local AWS API emulator, and could not start it:\n  ${error.message}\n${MOTO_INSTALL_HINT}`,
    );
    return 1;
  }
  const saved = { ...process.env };
  const github = await startGitHubDemo();
  try {
    Object.assign(process.env, emulatorEnv(moto.endpoint));
    delete process.env.AWS_PROFILE;
    out(
      `▶ moto_server (AWS emulator) on ${moto.endpoint}; seeding account 123456789012 with compliant resources and misconfigurations`,
    );
    await seedDemoAccount();
    const okta = await startOktaDemo();
    Object.assign(process.env, okta.env);
    out(
      `▶ Okta org stand-in on ${okta.url}: bob left (deactivated) but keeps his IAM user and app assignments`,
    );
    if (!keep) await rm(store, { recursive: true, force: true });
    const ctx = okta.inScope(await openContext({ store }));
    github.apply(ctx.config, process.env);
    out(
      `▶ GitHub REST stand-in on ${github.url}: organization "acme" with unprotected repositories and a member without 2FA`,
    );
    try {
      out('▶ collecting (read-only API calls) → evidence → checks → controls');
      await runCollect(ctx, {
        region: ['us-east-1', DEMO_UNWATCHED_REGION],
        log: (line) => out(`  ${line}`),
      });
      // The access review is evaluated as it is recorded: before the status and alerts, so they include it.
      out('\n▶ access review across Okta, IAM and GitHub (stored as evidence too)');
      await okta.review(ctx, out);
      out('');
      out(
        formatStatusTable(
          statusEntries(ctx.controls, await ctx.store.controlStates(), checkCatalog(collectors)),
        ),
      );
      out('');
      out(
        '▶ alerts these misconfigurations raise (SNS subject lines; `proofline alerts --json` for the events):',
      );
      const alerts = notificationsFor(await ctx.store.transitions(), { controls: ctx.controls, collectors });
      for (const n of alerts) out(`  ${n.subject}`);
      const messages = ownerMessages(alerts);
      out(`  ${alerts.length} alerts go out as ${messages.length} messages, one per owner:`);
      for (const m of messages) out(`  ${m.subject}`);
      const verified = await verifyEvidenceFiles(ctx.store as LocalStore);
      out('');
      out(
        `▶ evidence: ${verified} files under ${ctx.store.location}/evidence, each SHA-256 matching its file name and index entry`,
      );
      out(`  try: npx proofline --store ${store} evidence list`);
      await seedIsmsRecords(ctx, store, out);
      if (!(await exportAndVerifyDemoArchive(ctx, store, out))) return 1;
    } finally {
      await ctx.store.close();
      await okta.close();
    }
    return 0;
  } finally {
    process.env = saved;
    await moto.stop();
    await github.stop();
  }
}

/** Re-hashes every evidence file; throws on the first whose bytes differ from its name or index entry. */
async function verifyEvidenceFiles(store: LocalStore): Promise<number> {
  const refs = await store.listArtifacts();
  for (const ref of refs) {
    const actual = sha256Hex(await readFile(store.pathOf(ref.key)));
    if (actual !== ref.sha256 || actual !== parseEvidenceKey(ref.key).sha256) {
      throw new Error(`evidence file ${ref.key} does not match its hash`);
    }
  }
  return refs.length;
}
