/** The AWS API calls one full collection makes against the seeded demo account, per collector (SDK middleware count). */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCollect } from '../cli/collect.ts';
import { openContext } from '../cli/context.ts';
import { awsCollectors } from '../collectors/aws/index.ts';
import { emulatorEnv, startMoto } from '../demo/moto.ts';
import { seedDemoAccount } from '../demo/seed-aws.ts';

export async function runApiCallBench(): Promise<string[]> {
  const moto = await startMoto();
  const saved = { ...process.env };
  const dir = await mkdtemp(join(tmpdir(), 'proofline-bench-'));
  try {
    Object.assign(process.env, emulatorEnv(moto.endpoint));
    await seedDemoAccount();
    const ctx = await openContext({ store: dir });
    const lines: string[] = [];
    let total = 0;
    for (const collector of awsCollectors) {
      const calls: string[] = [];
      await runCollect(ctx, {
        collector: [collector.id],
        region: ['us-east-1'],
        onCall: (service, op) => calls.push(`${service}.${op}`),
        log: () => {},
      });
      // Scope discovery (sts:GetCallerIdentity) happens once per run, not per collector.
      const own = calls.filter((c) => c !== 'STS.GetCallerIdentity');
      total += own.length;
      const counts = new Map<string, number>();
      for (const c of own) counts.set(c, (counts.get(c) ?? 0) + 1);
      lines.push(`  ${collector.id}: ${own.length} (${[...counts].map(([c, n]) => `${c}×${n}`).join(', ')})`);
    }
    await ctx.store.close();
    return [
      `AWS API calls for one full collection of the demo account (5 buckets, 2 trails, 2 keys, 5 users, 2 roles; us-east-1): ${total} + 1 sts:GetCallerIdentity`,
      ...lines,
    ];
  } finally {
    process.env = saved;
    await moto.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`)
  for (const line of await runApiCallBench()) console.log(line);
