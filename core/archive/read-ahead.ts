/** Evidence files opened ahead of their turn: enough to hide an object store's latency per request. */
export const READ_AHEAD = 8;

/**
 * Maps items in order while running up to `depth` calls ahead of the consumer: a remote store's round trips
 * (or a disk's) overlap the consumer's work, and at most `depth` results wait in memory.
 */
export async function* mapAhead<T, R>(
  items: readonly T[],
  depth: number,
  fn: (item: T) => Promise<R>,
): AsyncGenerator<R> {
  const pending: Promise<R>[] = [];
  let next = 0;
  const fill = () => {
    while (pending.length < depth && next < items.length) {
      const result = fn(items[next++]!);
      result.catch(() => {}); // surfaced when its turn comes
      pending.push(result);
    }
  };
  fill();
  while (pending.length) {
    const result = pending.shift()!;
    fill();
    yield await result;
  }
}

/** The longest stretch a long computation keeps the event loop waiting. */
const SLICE_MS = 5;
let lastTurn = performance.now();

/**
 * Lets the event loop run once a long computation has held it for SLICE_MS, so what an export does meanwhile
 * (its evidence going into the zip as the reading thread hands it over) keeps moving while each control is
 * judged. Call it between the steps of a long loop.
 */
export async function shareEventLoop(): Promise<void> {
  if (performance.now() - lastTurn < SLICE_MS) return;
  await new Promise((resolve) => setImmediate(resolve));
  lastTurn = performance.now();
}
