// Apart from session.ts so the collectors (and every bundle of the registry) do not load the Okta SDK.

/** Every item of an SDK collection (the SDK follows `Link: <…>; rel="next"` until there is none). */
export async function all<T>(collection: Promise<AsyncIterable<T | null>>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of await collection) if (item) items.push(item);
  return items;
}
