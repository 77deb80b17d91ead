import type { Verdict } from '../../core/collector.ts';
import { describeGap, type Readable } from './readable.ts';

/** Judges a value that may not have been readable: a gap fails, naming what could not be read. */
export function whenReadable<T>(what: string, value: Readable<T>, judge: (value: T) => Verdict): Verdict {
  return value.ok ? judge(value.value) : [false, describeGap(what, value.gap)];
}

const OWNER_ONLY = 'an organization owner, or a GitHub App with "Administration: read" on the organization';

/** A failing verdict for a setting GitHub did not show to this credential. */
export const notVisible = (what: string, needs = OWNER_ONLY): Verdict => [
  false,
  `${what} is not visible to this credential (needs ${needs}); not judged as passing`,
];

/** An organization-level setting that only some credentials can see: unknown (null) fails. */
export function setting<T>(value: T | null, what: string, judge: (value: T) => Verdict): Verdict {
  return value === null ? notVisible(what) : judge(value);
}

export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
