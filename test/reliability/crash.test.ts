import { describe, expect, it } from 'vitest';
import { CRASH_OPERATIONS, cleanRun, crashRuns } from '../../bench/crash.ts';

// A short seeded slice of the crash bench (bench/crash.ts runs ≥ 50): the CLI as a child process on an embedded
// store fed by the GitHub stand-in, killed with SIGKILL mid-operation.
describe('kill -9 during collect, digest, export and evidence upload', () => {
  it('leaves a store that opens, no index row without its file, a rerun that completes and a valid chain', async () => {
    // Kills in the middle of each operation: a loaded machine can finish an operation sooner than its timed
    // first run, and a kill late in the window would then find nothing to kill.
    const runs = await crashRuns({ runs: 4, seed: 5, window: [0.3, 0.6] });
    expect(runs).toHaveLength(4);
    for (const run of runs) {
      expect(run.opens, `run ${run.run} (${run.operation})`).toBe(true);
      expect(run.afterKill?.rowsWithoutFile, `run ${run.run} (${run.operation})`).toEqual([]);
      expect(cleanRun(run), `${run.operation}: ${run.verifyOutput}`).toBe(true);
    }
    expect(runs.filter((r) => r.killed).length).toBeGreaterThan(0);
    expect(new Set(runs.map((r) => r.operation)).size).toBeGreaterThan(1);
    expect(CRASH_OPERATIONS).toContain(runs[0]!.operation);
  }, 900_000);
});
