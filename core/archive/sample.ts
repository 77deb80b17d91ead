import { createHash } from 'node:crypto';
import type { ArtifactRef } from '../model.ts';

export interface SampledItem {
  /** 1 for the first item drawn. */
  readonly draw: number;
  /** The item's rank key: SHA-256 of `seed \n control \n file`, hex. Lowest ranks are drawn first. */
  readonly rank: string;
  readonly ref: ArtifactRef;
}

export const sampleRank = (seed: string, control: string, key: string): string =>
  createHash('sha256').update(`${seed}\n${control}\n${key}`).digest('hex');

/**
 * Draws `size` items (all of them when the population is smaller) without replacement. Each item's rank is a
 * keyed hash of the seed, the control and the file's path, so the same seed always draws the same sample, the
 * draw does not depend on the store's listing order, and an auditor can recompute any rank with sha256sum.
 */
export function drawSample(
  control: string,
  population: readonly ArtifactRef[],
  size: number,
  seed: string,
): SampledItem[] {
  return population
    .map((ref) => ({ ref, rank: sampleRank(seed, control, ref.key) }))
    .sort((a, b) => a.rank.localeCompare(b.rank))
    .slice(0, size)
    .map((item, i) => ({ draw: i + 1, ...item }));
}
