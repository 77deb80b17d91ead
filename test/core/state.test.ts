import { describe, expect, it } from 'vitest';
import type { ControlResult, ControlState, Finding } from '../../core/model.ts';
import { nextState } from '../../core/state.ts';

const fail = (resource: string): Finding => ({
  check: 'c',
  resource,
  status: 'fail',
  reason: `${resource} is wrong`,
});
const result = (status: ControlResult['status'], failing: Finding[] = []): ControlResult => ({
  control: 'IAM-02',
  status,
  failing,
  findingCount: 3,
  resourceCount: 3,
  evidence: ['evidence/k'],
  gaps: [],
});
const stored = (r: ControlResult, since: string, evaluatedAt = since): ControlState => ({
  ...r,
  since,
  evaluatedAt,
});

describe('nextState', () => {
  it('records the first evaluation as a transition from nothing', () => {
    const next = nextState(undefined, result('failing', [fail('a')]), 'T1');
    expect(next?.transition).toMatchObject({
      from: null,
      to: 'failing',
      since: 'T1',
      newlyFailing: [fail('a')],
      recovered: [],
    });
  });

  it('records no transition when nothing changed, and keeps `since`', () => {
    const next = nextState(
      stored(result('failing', [fail('a')]), 'T1'),
      result('failing', [fail('a')]),
      'T2',
    );
    expect(next?.transition).toBeUndefined();
    expect(next?.state).toMatchObject({ since: 'T1', evaluatedAt: 'T2' });
  });

  it('records a resource that starts failing while the control stays failing', () => {
    const next = nextState(
      stored(result('failing', [fail('a')]), 'T1'),
      result('failing', [fail('a'), fail('b')]),
      'T2',
    );
    expect(next?.transition).toMatchObject({
      from: 'failing',
      to: 'failing',
      since: 'T1',
      newlyFailing: [fail('b')],
      recovered: [],
    });
  });

  it('records recovery with the resources that recovered', () => {
    const next = nextState(stored(result('failing', [fail('a'), fail('b')]), 'T1'), result('passing'), 'T2');
    expect(next?.transition).toMatchObject({
      from: 'failing',
      to: 'passing',
      since: 'T2',
      newlyFailing: [],
      recovered: [fail('a'), fail('b')],
    });
  });

  it('ignores a result older than the stored state', () => {
    expect(
      nextState(stored(result('passing'), 'T1', 'T5'), result('failing', [fail('a')]), 'T4'),
    ).toBeUndefined();
  });
});
