import type { ControlResult, ControlState, Finding, Transition } from './model.ts';

const findingKey = (f: Finding) => `${f.check}\u0000${f.resource}`;

/** Findings of `a` whose (check, resource) is not among `b`'s. */
function minus(a: readonly Finding[], b: readonly Finding[]): Finding[] {
  const keys = new Set(b.map(findingKey));
  return a.filter((f) => !keys.has(findingKey(f)));
}

/**
 * The one rule for moving a control from its stored state to a new result, shared by every store so that
 * they agree on when a transition happened: the status changed, or resources started or stopped failing.
 * Returns undefined when the result is older than the stored state (a late, out-of-order evaluation).
 */
export function nextState(
  previous: ControlState | undefined,
  result: ControlResult,
  evaluatedAt: string,
): { state: ControlState; transition?: Transition } | undefined {
  if (previous && previous.evaluatedAt > evaluatedAt) return undefined;
  const statusChanged = previous?.status !== result.status;
  const since = statusChanged ? evaluatedAt : previous.since;
  const state: ControlState = { ...result, since, evaluatedAt };
  const newlyFailing = minus(result.failing, previous?.failing ?? []);
  const recovered = minus(previous?.failing ?? [], result.failing);
  if (!statusChanged && newlyFailing.length === 0 && recovered.length === 0) return { state };
  return {
    state,
    transition: {
      control: result.control,
      from: previous?.status ?? null,
      to: result.status,
      at: evaluatedAt,
      since,
      failing: result.failing,
      newlyFailing,
      recovered,
      evidence: result.evidence,
    },
  };
}
