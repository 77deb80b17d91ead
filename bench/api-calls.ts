/**
 * The AWS API calls one full collection makes, per collector (SDK middleware count): once against the seeded
 * demo account, once against a synthetic account holding 10× its network and compute resources. A collector
 * whose calls grow with pages of resources keeps a ratio near the page ratio (1 while every list fits in one
 * page); the operations that grow with resources are named.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCollect } from '../cli/collect.ts';
import { openContext } from '../cli/context.ts';
import { awsCollectors } from '../collectors/aws/index.ts';
import { emulatorEnv, type MotoServer, startMoto } from '../demo/moto.ts';
import { seedDemoAccount } from '../demo/seed-aws.ts';

const SCALE = 10;

/** Calls per collector id, then per operation, for one collection of every AWS collector in us-east-1. */
async function countCalls(moto: MotoServer, copies: number): Promise<Map<string, Map<string, number>>> {
  await moto.reset();
  await seedDemoAccount({ copies });
  const dir = await mkdtemp(join(tmpdir(), 'proofline-bench-'));
  const ctx = await openContext({ store: dir });
  const out = new Map<string, Map<string, number>>();
  try {
    for (const collector of awsCollectors) {
      const counts = new Map<string, number>();
      await runCollect(ctx, {
        collector: [collector.id],
        region: ['us-east-1'],
        onCall: (service, op) => {
          // Scope discovery (sts:GetCallerIdentity) happens once per run, not per collector.
          if (service !== 'STS') counts.set(`${service}.${op}`, (counts.get(`${service}.${op}`) ?? 0) + 1);
        },
        log: () => {},
      });
      out.set(collector.id, counts);
    }
  } finally {
    await ctx.store.close();
    await rm(dir, { recursive: true, force: true });
  }
  return out;
}

const sum = (m: Map<string, number> | undefined) => [...(m ?? new Map()).values()].reduce((a, b) => a + b, 0);

export async function runApiCallBench(): Promise<string[]> {
  const moto = await startMoto();
  const saved = { ...process.env };
  try {
    Object.assign(process.env, emulatorEnv(moto.endpoint));
    const seeded = await countCalls(moto, 1);
    const synthetic = await countCalls(moto, SCALE);
    const lines: string[] = [];
    let [small, large] = [0, 0];
    for (const collector of awsCollectors) {
      const a = seeded.get(collector.id);
      const b = synthetic.get(collector.id);
      small += sum(a);
      large += sum(b);
      const growing = [...(b ?? [])]
        .filter(([op, n]) => n > (a?.get(op) ?? 0))
        .map(([op, n]) => `${op} ${a?.get(op) ?? 0}→${n}`);
      lines.push(
        `  ${collector.id}: ${sum(a)} → ${sum(b)} (×${(sum(b) / Math.max(1, sum(a))).toFixed(1)})` +
          (growing.length ? `; per resource: ${growing.join(', ')}` : '; paginated lists only'),
      );
    }
    return [
      `AWS API calls for one collection in us-east-1: seeded demo account → synthetic account with ${SCALE}× the network and compute resources (every list fits one page: page ratio 1)`,
      `  all collectors: ${small} → ${large} (×${(large / small).toFixed(1)}) + 1 sts:GetCallerIdentity per run`,
      ...lines,
    ];
  } finally {
    process.env = saved;
    await moto.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`)
  for (const line of await runApiCallBench()) console.log(line);
