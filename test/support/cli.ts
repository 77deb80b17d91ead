import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../cli/program.ts';
import { LocalStore } from '../../core/stores/local-store.ts';

export interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** Runs the real CLI entry (`main`) in-process, capturing what it prints. */
export async function runCli(args: readonly string[]): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['node', 'proofline', ...args], {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** A new, empty embedded store in a temporary folder (reading commands refuse a folder that holds none). */
export async function tempStore(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'proofline-cli-'));
  await (await LocalStore.open(dir)).close();
  return dir;
}

/** `YYYY-MM-DD`, `days` from now (UTC). */
export const dateIn = (days: number): string =>
  new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
