import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { forward, readBody } from '../support/fault-proxy.ts';

/** A small seeded PRNG (mulberry32): the same seed, the same mutations. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const pick = <T>(random: () => number, items: readonly T[]): T =>
  items[Math.floor(random() * items.length)] as T;

const REPLACEMENTS: readonly (() => Json)[] = [
  () => null,
  () => '',
  () => 'x',
  () => 0,
  () => -1,
  () => 1e308,
  () => true,
  () => [],
  () => ({}),
  () => [null],
  () => 'not-a-date',
  () => 'http://[bad',
];

/** One random change in a JSON value, at any depth: a field dropped, or a value replaced by one of another type. */
export function mutateJson(value: Json, random: () => number): Json {
  const nodes: { parent: Json[] | Record<string, Json>; key: string | number }[] = [];
  const walk = (node: Json) => {
    if (Array.isArray(node))
      node.forEach((child, i) => {
        nodes.push({ parent: node, key: i });
        walk(child);
      });
    else if (node && typeof node === 'object')
      for (const [key, child] of Object.entries(node)) {
        nodes.push({ parent: node, key });
        walk(child);
      }
  };
  walk(value);
  if (nodes.length === 0 || random() < 0.05) return pick(random, REPLACEMENTS)();
  const { parent, key } = pick(random, nodes);
  if (!Array.isArray(parent) && random() < 0.3) delete parent[key as string];
  else (parent as Record<string | number, Json>)[key] = pick(random, REPLACEMENTS)();
  return value;
}

/**
 * Relays requests to a stand-in and mutates a share of its JSON answers (seeded): the vendor's shape with
 * one field missing or of the wrong type, as a changed or broken API would send it.
 */
export async function startMutatingProxy(upstream: string, share: number) {
  let random = prng(0);
  let mutated = 0;
  const target = new URL(upstream);
  const server = createServer(async (req, res) =>
    forward(target, req, await readBody(req), res, {
      rewrite: (data, answer) => {
        const json = String(answer.headers['content-type'] ?? '').includes('json');
        if (!json || answer.statusCode !== 200 || random() >= share) return data;
        mutated++;
        return Buffer.from(JSON.stringify(mutateJson(JSON.parse(data.toString()) as Json, random)));
      },
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    reseed(seed: number) {
      random = prng(seed);
    },
    mutated: () => mutated,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
