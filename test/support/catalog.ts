import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectors } from '../../collectors/index.ts';
import { type Control, MANUAL_EVIDENCE } from '../../core/model.ts';
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

/**
 * A control for unit tests. Unless `links` is given, each of its `soc2` / `iso27001` ids gets a link evidenced
 * by all its checks, or by its manual evidence when it has none.
 */
export const control = (overrides: Partial<Control> & { id: string }): Control => {
  const by = overrides.checks?.length ? overrides.checks : [MANUAL_EVIDENCE];
  const links = (['soc2', 'iso27001'] as const).flatMap((framework) =>
    (overrides[framework] ?? []).map((requirement) => ({
      framework,
      requirement,
      by,
      rationale: `${overrides.id} evidences ${requirement}`,
    })),
  );
  return {
    title: `${overrides.id} title`,
    objective: 'objective',
    owner: 'security-lead',
    type: 'manual',
    checks: [],
    soc2: [],
    iso27001: [],
    links,
    ...overrides,
  };
};

/**
 * Registered checks that no control uses, each with the reason: the wiring tests accept these and no others.
 * A check stays collected and reported; it is simply evidence for no requirement.
 */
export const UNMAPPED_CHECKS: Readonly<Record<string, string>> = {
  'github.repo.delete-branch-on-merge':
    'repository hygiene: a merged branch left behind grants no access and hides no change, so the setting evidences no SOC 2 criterion or Annex A control',
};
