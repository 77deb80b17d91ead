/**
 * Collection through injected faults (test/reliability/faults-run.ts): every AWS, GitHub, Okta, Entra ID and
 * Google Workspace collector, once without faults and twice with a fault on `PROOFLINE_BENCH_FAULT_RATE`
 * (default 30%) of calls, for each of `PROOFLINE_BENCH_FAULT_SEEDS` seeds (default 3). Prints calls, faults, retries and artifacts lost and
 * duplicated (both must be 0).
 */
import { startMoto } from '../demo/moto.ts';
import { describeFaultRun, runFaultCollection } from '../test/reliability/faults-run.ts';

const AT = new Date('2026-11-27T12:00:00.000Z');

export async function runFaultBench(): Promise<string[]> {
  const rate = Number(process.env.PROOFLINE_BENCH_FAULT_RATE ?? 0.3);
  const seeds = Number(process.env.PROOFLINE_BENCH_FAULT_SEEDS ?? 3);
  const only = process.env.PROOFLINE_BENCH_FAULT_COLLECTORS?.split(',');
  const moto = await startMoto();
  const lines = [
    `Injected faults on ${Math.round(rate * 100)}% of calls (AWS via moto_server; GitHub, Okta, Entra ID and Google stand-ins)`,
  ];
  try {
    for (let seed = 1; seed <= seeds; seed++) {
      const started = performance.now();
      const report = await runFaultCollection({
        motoEndpoint: moto.endpoint,
        seed,
        rate,
        at: AT,
        ...(only ? { collectors: only } : {}),
      });
      lines.push(
        ...describeFaultRun(
          report,
          `  seed ${seed} (${((performance.now() - started) / 1000).toFixed(0)} s)`,
        ),
      );
    }
  } finally {
    await moto.stop();
  }
  return lines;
}

if (import.meta.url === `file://${process.argv[1]}`)
  for (const line of await runFaultBench()) console.log(line);
