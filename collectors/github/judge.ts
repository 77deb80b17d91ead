import type { Check, CheckContext, CheckMeta } from '../../core/collector.ts';
import type { Finding } from '../../core/model.ts';
import { describeGap, type Readable } from './readable.ts';

/** A check's verdict on one resource: pass (true), fail (false) or not applicable, with the reason. */
export type Verdict = readonly [result: boolean | 'not_applicable', reason: string];

export const notApplicable = (reason: string): Verdict => ['not_applicable', reason];

/**
 * Like core's perResource, but a resource may also be not applicable (an archived repository has no branch
 * to protect). With no resource at all: one not_applicable finding for the scope.
 */
export function perItem<S, R>(
  meta: CheckMeta,
  items: (snapshot: S) => readonly R[],
  itemId: (item: R, snapshot: S) => string,
  judge: (item: R, snapshot: S, context: CheckContext) => Verdict,
): Check<S> {
  return {
    ...meta,
    evaluate(snapshot, context) {
      const list = items(snapshot);
      if (list.length === 0)
        return [
          {
            check: meta.id,
            resource: context.scope.id,
            status: 'not_applicable',
            reason: 'no resources to check',
          },
        ];
      return list.map((item): Finding => {
        const [result, reason] = judge(item, snapshot, context);
        const status = result === 'not_applicable' ? result : result ? 'pass' : 'fail';
        return { check: meta.id, resource: itemId(item, snapshot), status, reason };
      });
    },
  };
}

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
