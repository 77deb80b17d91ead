import type { ControlResult, ControlState, Transition } from './model.ts';

/**
 * The one rule for moving a control from its stored state to a new result, shared by every store so that
 * they agree on when a transition happened. Returns undefined when the result is older than the state.
 */
export function nextState(
  previous: ControlState | undefined,
  result: ControlResult,
  evaluatedAt: string,
): { state: ControlState; transition?: Transition } | undefined {
  if (previous && previous.evaluatedAt > evaluatedAt) return undefined;
  const changed = previous?.status !== result.status;
  const state: ControlState = { ...result, since: changed ? evaluatedAt : previous.since, evaluatedAt };
  if (!changed) return { state };
  return {
    state,
    transition: {
      control: result.control,
      from: previous?.status ?? null,
      to: result.status,
      at: evaluatedAt,
      failing: result.failing,
      evidence: result.evidence,
    },
  };
}
