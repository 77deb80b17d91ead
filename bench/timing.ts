import { performance } from 'node:perf_hooks';

const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

const timeMs = (fn: () => unknown) => {
  const start = performance.now();
  fn();
  return performance.now() - start;
};

/**
 * Median wall times of `runs` paired calls of a baseline and a subject (after one warm-up each), alternated so
 * that load on a shared machine falls on both, and the median of the per-pair ratios subject / baseline.
 */
export function pairedMs(
  baseline: () => unknown,
  subject: () => unknown,
  runs = 11,
): { baselineMs: number; subjectMs: number; ratio: number } {
  baseline();
  subject();
  const pairs = Array.from({ length: runs }, () => [timeMs(baseline), timeMs(subject)] as const);
  return {
    baselineMs: median(pairs.map(([b]) => b)),
    subjectMs: median(pairs.map(([, s]) => s)),
    ratio: median(pairs.map(([b, s]) => s / b)),
  };
}

export const fmt = (n: number, digits = 1) => n.toFixed(digits);

/** mulberry32: a small seeded generator, so every run measures the same data. */
export function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
