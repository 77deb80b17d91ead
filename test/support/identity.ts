import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CheckContext } from '../../core/collector.ts';
import type { Finding, Source } from '../../core/model.ts';
import { LocalStore } from '../../core/stores/local-store.ts';

// The vendor stand-ins live under demo/ so the demo can use them; tests reach them through here.
export * from '../../demo/identity-stand-ins/entra.ts';
export * from '../../demo/identity-stand-ins/google.ts';
export * from '../../demo/identity-stand-ins/http-stand-in.ts';
export * from '../../demo/identity-stand-ins/okta.ts';

export const AS_OF = new Date('2026-11-27T12:00:00.000Z');
export const daysBefore = (days: number, from: Date = AS_OF) =>
  new Date(from.getTime() - days * 86_400_000).toISOString();

export const context = (source: Source, id: string, asOf: Date = AS_OF): CheckContext => ({
  asOf,
  scope: { source, id },
});

/** Findings as `status resource` lines: compact to compare, and every finding is in it. */
export const verdicts = (findings: readonly Finding[]) => findings.map((f) => `${f.status} ${f.resource}`);

/** A fresh embedded store in a temporary folder, removed by `dispose`. */
export async function tempStore(): Promise<{ store: LocalStore; dir: string; dispose: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'proofline-identity-'));
  const store = await LocalStore.open(join(dir, 'store'));
  return {
    store,
    dir,
    dispose: async () => {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
