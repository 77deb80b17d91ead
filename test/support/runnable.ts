import { runnableCollectors } from '../../collectors/collect.ts';
import type { Collector, CollectorDefinition } from '../../core/collector.ts';

/** A registered collector's definition with its collect code, as `collect` runs it (collectors/collect.ts). */
export function runnable<S>(definition: CollectorDefinition<S>): Collector<S, unknown> {
  const found = runnableCollectors.find((c) => c.id === definition.id);
  if (!found) throw new Error(`no collect code registered for ${definition.id}`);
  return found;
}
