import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectors } from '../../collectors/index.ts';
import type { Control } from '../../core/model.ts';
import { checkIndex } from '../../core/pipeline.ts';

/** `prefix` + from…to, e.g. ids('CC6.', 1, 8) → CC6.1 … CC6.8. */
export const ids = (prefix: string, from: number, to: number): string[] =>
  Array.from({ length: to - from + 1 }, (_, i) => `${prefix}${from + i}`);

export const knownChecks = (): Set<string> => new Set(checkIndex(collectors).keys());

/** A folder holding the given files (name → content). */
export async function tempFolder(files: Record<string, string>, prefix = 'proofline-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
  return dir;
}

export const control = (overrides: Partial<Control> & { id: string }): Control => ({
  title: `${overrides.id} title`,
  objective: 'objective',
  owner: 'security-lead',
  type: 'manual',
  checks: [],
  soc2: [],
  iso27001: [],
  links: [],
  ...overrides,
});
