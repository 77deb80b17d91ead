import { describe, expect, it } from 'vitest';
import { INDEX_KEY, ITEM_KEY, keyAttributesOf, keyCondition } from '../../core/stores/index-table.ts';

const SHA = 'a'.repeat(64);
const KEY = `evidence/source=aws/collector=aws.s3.buckets/scope=111122223333-global/dt=2026-11-27/20261127T193600Z-${SHA}.json`;

describe('the index table key design', () => {
  it('writes a partition-only condition, a prefix, or a range with BETWEEN or the one bound given', () => {
    const table = keyAttributesOf();
    expect(keyCondition(table, 'CTRL')).toEqual({ expression: 'pk = :pk', values: { ':pk': 'CTRL' } });
    expect(keyCondition(table, 'LATEST', { prefix: 'c#' })).toEqual({
      expression: 'pk = :pk AND begins_with(sk, :prefix)',
      values: { ':pk': 'LATEST', ':prefix': 'c#' },
    });
    expect(keyCondition(table, 'H#c', { from: 'a', to: 'b' }).expression).toBe(
      'pk = :pk AND sk BETWEEN :lo AND :hi',
    );
    expect(keyCondition(table, 'H#c', { from: 'a' }).expression).toBe('pk = :pk AND sk >= :lo');
    expect(keyCondition(table, 'H#c', { to: 'b' }).expression).toBe('pk = :pk AND sk < :hi');
    expect(keyCondition(table, 'DIGEST', { from: 'a', lower: '>' }).expression).toBe('pk = :pk AND sk > :lo');
    expect(keyCondition(table, 'DIGEST', { to: 'b', upper: '<=' }).values).toEqual({
      ':pk': 'DIGEST',
      ':hi': 'b',
    });
  });

  it("names a secondary index's own key attributes in its conditions", () => {
    expect(keyCondition(keyAttributesOf('byCollector'), 'aws.s3.buckets', { from: 'x' }).expression).toBe(
      'c_pk = :pk AND c_sk >= :lo',
    );
    expect(INDEX_KEY.byWriteTime('2026-11-27T19:36:00.000Z', KEY)).toEqual({
      w_pk: 'W#2026-11-27T19',
      w_sk: `2026-11-27T19:36:00.000Z#${KEY}`,
    });
  });

  it('derives an artifact item key from its evidence key and refuses any other key', () => {
    expect(ITEM_KEY.artifact(KEY)).toEqual({
      pk: 'A#aws.s3.buckets#111122223333-global',
      sk: `20261127T193600Z-${SHA}.json`,
    });
    expect(() => ITEM_KEY.artifact('findings/x.gz')).toThrow(/not an evidence key/);
  });

  it('orders a control’s transitions at one instant by a zero-padded version', () => {
    const sk = (v: number) => ITEM_KEY.transition('c', '2026-11-27T00:00:00.000Z', v).sk;
    expect(sk(9) < sk(10)).toBe(true);
  });
});
