import { hash } from 'node:crypto';
import type { Frequency } from './period-status.ts';

export interface SampledItem<T> {
  /** 1 for the first item drawn. */
  readonly draw: number;
  /** The item's rank key: SHA-256 of `seed \n control \n item`, hex. Lowest ranks are drawn first. */
  readonly rank: string;
  readonly item: T;
}

/**
 * Default sample sizes by how often a control operates, as auditors commonly use them for tests of operating
 * effectiveness (annual 1, quarterly 2, monthly 2, weekly 5, daily 25, many times a day 40).
 */
export const DEFAULT_SAMPLE_SIZES: Readonly<Record<Frequency, number>> = {
  annual: 1,
  quarterly: 2,
  monthly: 2,
  weekly: 5,
  daily: 25,
  many_per_day: 40,
};

export const sampleRank = (seed: string, control: string, item: string): string =>
  hash('sha256', `${seed}\n${control}\n${item}`, 'hex');

/** Ranks are lowercase hex of one length: code-unit order is their order (and much cheaper than a collator's). */
const byRank = (a: { rank: string }, b: { rank: string }) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : 0);

/**
 * Draws `size` items (all of them when the population is smaller) without replacement. Each item's rank is a
 * keyed hash of the seed, the control and the item's name (`nameOf`, unique in the population), so the same
 * seed always draws the same sample, the draw does not depend on the listing order, and an auditor can
 * recompute any rank with sha256sum.
 */
export function drawSample<T>(
  control: string,
  population: readonly T[],
  nameOf: (item: T) => string,
  size: number,
  seed: string,
): SampledItem<T>[] {
  return population
    .map((item) => ({ item, rank: sampleRank(seed, control, nameOf(item)) }))
    .sort(byRank)
    .slice(0, size)
    .map((entry, i) => ({ draw: i + 1, ...entry }));
}
