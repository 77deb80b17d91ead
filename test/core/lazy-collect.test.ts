import { describe, expect, it } from 'vitest';
import { type CollectorDefinition, withLazyCollect } from '../../core/collector.ts';
import type { Scope } from '../../core/model.ts';

const definition: CollectorDefinition<{ n: number }> = {
  id: 'test.lazy',
  source: 'aws',
  description: 'a collector whose collect module loads on its first run',
  regional: false,
  defaultSchedule: 'rate(1 day)',
  permissions: [],
  schemaVersion: 1,
  checks: [],
};
const scope: Scope = { source: 'aws', id: '111122223333' };

describe('withLazyCollect', () => {
  it('imports the collect module only when the collector runs, and runs that module’s collect', async () => {
    const loads: string[] = [];
    const collector = withLazyCollect(definition, async () => {
      loads.push('loaded');
      return { collect: async (session: string, s: Scope) => ({ n: `${session}:${s.id}`.length }) };
    });
    expect(collector.id).toBe('test.lazy');
    expect(loads).toEqual([]);
    expect(await collector.collect('session', scope)).toEqual({ n: 'session:111122223333'.length });
    expect(loads).toEqual(['loaded']);
  });

  it('a collect module that fails to load fails that collection, when it runs', async () => {
    const collector = withLazyCollect(definition, () => Promise.reject(new Error('Cannot find module')));
    await expect(collector.collect(undefined, scope)).rejects.toThrow('Cannot find module');
  });
});
