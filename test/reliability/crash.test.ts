import { describe, expect, it } from 'vitest';
import { CRASH_OPERATIONS, cleanRun, crashRuns, FAKETIME_LIB } from '../../bench/crash.ts';

// A short seeded slice of the crash bench (bench/crash.ts runs ≥ 50): the bundled CLI as a child process on a
// copy of a seeded embedded store fed by the GitHub stand-in, killed with SIGKILL mid-operation. The CLI's clock
// is moved with libfaketime: without it a local run skips this test loudly, and CI fails.
const skip = !FAKETIME_LIB && !process.env.CI;
if (skip)
  console.warn('\n  SKIPPED the crash slice: libfaketime is not installed (apt-get install faketime)\n');

describe('kill -9 during collect, digest, export and evidence upload', () => {
  it.skipIf(skip)(
    'leaves a store that opens, no index row without its file, a rerun that completes and a valid chain',
    async () => {
      // Kills in the middle of each operation: a loaded machine can finish an operation sooner than its timed
      // first run, and a kill late in the window would then find nothing to kill.
      const runs = await crashRuns({
        runs: 4,
        seed: 5,
        window: [0.3, 0.6],
        operations: CRASH_OPERATIONS,
      });
      expect(runs.map((r) => r.operation)).toEqual([...CRASH_OPERATIONS]);
      for (const run of runs) {
        const what = `run ${run.run} (${run.operation})`;
        expect(run.opens, what).toBe(true);
        expect(run.afterKill?.rowsWithoutFile, what).toEqual([]);
        expect(cleanRun(run), `${what}: ${run.verifyOutput}`).toBe(true);
      }
      expect(runs.filter((r) => r.killed).length).toBeGreaterThan(0);
    },
    // 56 s on 2 cores at a load of 6: seven short CLI processes to set up, two per run.
    300_000,
  );
});
