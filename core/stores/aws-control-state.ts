import { setTimeout as sleep } from 'node:timers/promises';
import type { TransactWriteItem } from '@aws-sdk/client-dynamodb';
import type { ControlResult, ControlState, Transition } from '../model.ts';
import { nextState } from '../state.ts';
import {
  artifactItemKeys,
  errorName,
  type Item,
  N,
  num,
  pack,
  S,
  str,
  strings,
  unpack,
} from './aws-marshalling.ts';
import type { IndexTableClient } from './aws-table.ts';
import { INDEX, INDEX_KEY, ITEM_KEY, PARTITION } from './index-table.ts';

const TRANSACTION_CONTROLS = 25;

/** A control's stored state and the version its item carries (optimistic concurrency). */
interface Versioned {
  readonly state: ControlState;
  readonly version: number;
}

type StoredStates = Map<string, Versioned>;

const versioned = (item: Item): Versioned => ({ state: unpack<ControlState>(item), version: num(item, 'v') });

/** Whether a transaction was cancelled because another evaluation moved one of its controls on first. */
function lostRace(error: unknown): boolean {
  const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
  return (
    errorName(error) === 'TransactionCanceledException' &&
    reasons.some((r) => r.Code === 'ConditionalCheckFailed' || r.Code === 'TransactionConflict')
  );
}

/**
 * Control state on the index table: one versioned item per control (in the sparse openFailures index while it
 * fails), its transitions, and the artifacts that stood behind its results.
 */
export class AwsControlState {
  constructor(private readonly table: IndexTableClient) {}

  /**
   * Optimistic concurrency: each control's state item carries a version; the new state is written only if
   * the version is still the one read, in the same transaction as its transition item. A racing evaluation
   * that loses re-reads and re-derives, so every transition is recorded exactly once.
   */
  async applyControlResults(results: readonly ControlResult[], evaluatedAt: string): Promise<Transition[]> {
    const stored: StoredStates = new Map();
    for (const item of await this.table.query({ partition: PARTITION.controls, consistent: true })) {
      stored.set(str(item, 'sk'), versioned(item));
    }
    await this.linkEvidence(results, stored, evaluatedAt);
    const transitions: Transition[] = [];
    for (let i = 0; i < results.length; i += TRANSACTION_CONTROLS) {
      transitions.push(
        ...(await this.applyChunk(results.slice(i, i + TRANSACTION_CONTROLS), stored, evaluatedAt)),
      );
    }
    return transitions;
  }

  /** Writes one transaction's worth of controls, re-deriving from fresh reads after each lost race. */
  private async applyChunk(
    results: readonly ControlResult[],
    stored: StoredStates,
    evaluatedAt: string,
  ): Promise<Transition[]> {
    for (let attempt = 1; ; attempt++) {
      const { items, transitions } = this.chunkWrites(results, stored, evaluatedAt);
      if (items.length === 0) return [];
      try {
        await this.table.transact(items);
      } catch (error) {
        if (!lostRace(error) || attempt >= 20) throw error;
        await this.reread(results, stored);
        await sleep(Math.random() * 20 * attempt);
        continue;
      }
      for (const result of results) {
        const previous = stored.get(result.control);
        const next = nextState(previous?.state, result, evaluatedAt);
        if (next) stored.set(result.control, { state: next.state, version: (previous?.version ?? 0) + 1 });
      }
      return transitions;
    }
  }

  /** Each changed control's state put (conditional on the version read) and its transition, if any. */
  private chunkWrites(results: readonly ControlResult[], stored: StoredStates, evaluatedAt: string) {
    const items: TransactWriteItem[] = [];
    const transitions: Transition[] = [];
    for (const result of results) {
      const previous = stored.get(result.control);
      const next = nextState(previous?.state, result, evaluatedAt);
      if (!next) continue;
      const version = (previous?.version ?? 0) + 1;
      items.push({
        Put: {
          TableName: this.table.name,
          Item: {
            ...strings(ITEM_KEY.control(result.control)),
            z: pack(next.state),
            status: S(next.state.status),
            evaluatedAt: S(evaluatedAt),
            v: N(version),
            ...(next.state.status === 'failing' ? strings(INDEX_KEY.openFailure(result.control)) : {}),
          },
          ...(previous
            ? { ConditionExpression: 'v = :v', ExpressionAttributeValues: { ':v': N(previous.version) } }
            : { ConditionExpression: 'attribute_not_exists(pk)' }),
        },
      });
      if (!next.transition) continue;
      transitions.push(next.transition);
      items.push({
        Put: {
          TableName: this.table.name,
          Item: {
            ...strings(ITEM_KEY.transition(result.control, evaluatedAt, version)),
            z: pack(next.transition),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      });
    }
    return { items, transitions };
  }

  /** Someone else moved these controls on: read them again to derive from. */
  private async reread(results: readonly ControlResult[], stored: StoredStates): Promise<void> {
    for (const result of results) {
      const item = await this.table.get(ITEM_KEY.control(result.control));
      if (item) stored.set(result.control, versioned(item));
      else stored.delete(result.control);
    }
  }

  /** Links each result to the artifacts behind it (idempotent puts; only evidence not linked before). */
  private async linkEvidence(
    results: readonly ControlResult[],
    stored: StoredStates,
    evaluatedAt: string,
  ): Promise<void> {
    const wanted: { control: string; key: string }[] = [];
    for (const result of results) {
      const previous = stored.get(result.control)?.state;
      if (previous && previous.evaluatedAt > evaluatedAt) continue;
      const known = new Set(previous?.evidence ?? []);
      for (const key of new Set(result.evidence))
        if (!known.has(key)) wanted.push({ control: result.control, key });
    }
    if (wanted.length === 0) return;
    const refs = await this.table.batchGet(artifactItemKeys(wanted.map((w) => w.key)), '#key, collectedAt', {
      '#key': 'key',
    });
    const collectedAt = new Map(refs.map((item) => [str(item, 'key'), str(item, 'collectedAt')]));
    const puts: Item[] = wanted.flatMap(({ control, key }) => {
      const at = collectedAt.get(key);
      return at
        ? [{ ...strings(ITEM_KEY.controlEvidence(control, at, key)), key: S(key), collectedAt: S(at) }]
        : [];
    });
    await this.table.batchPut(puts);
  }

  async controlStates(): Promise<ControlState[]> {
    const items = await this.table.query({ partition: PARTITION.controls, consistent: true });
    return items.map((item) => unpack<ControlState>(item));
  }

  async openFailures(): Promise<ControlState[]> {
    const items = await this.table.query({ index: INDEX.openFailures, partition: PARTITION.open });
    return items.map((item) => unpack<ControlState>(item));
  }

  async transitions(query: { control?: string; from?: string; to?: string } = {}): Promise<Transition[]> {
    const controls = query.control
      ? [query.control]
      : (
          await this.table.query({ partition: PARTITION.controls, extra: { ProjectionExpression: 'sk' } })
        ).map((item) => str(item, 'sk'));
    const lists = await Promise.all(
      controls.map(async (control) => {
        // Sort keys are `<at>#<version>`: BETWEEN from AND to excludes a transition at exactly `to`.
        const items = await this.table.query({
          partition: ITEM_KEY.historyPartition(control),
          from: query.from,
          to: query.to,
          consistent: true,
        });
        return items.map((item) => unpack<Transition>(item));
      }),
    );
    return lists
      .flat()
      .sort((a, b) => (a.at !== b.at ? (a.at < b.at ? -1 : 1) : a.control < b.control ? -1 : 1));
  }

  async controlEvidence(control: string, from: string, to: string): Promise<string[]> {
    const items = await this.table.query({
      partition: ITEM_KEY.evidencePartition(control),
      from,
      to,
      consistent: true,
      extra: { ProjectionExpression: '#key', ExpressionAttributeNames: { '#key': 'key' } },
    });
    return [...new Set(items.map((item) => str(item, 'key')))];
  }
}
