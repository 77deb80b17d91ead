import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { loadConfig } from '../../core/config-file.ts';
import { ProoflineError } from '../../core/errors.ts';

/**
 * The config loader on random input (seeded): YAML text that may not parse, and documents shaped like the
 * config with random values. It returns a config or throws a ProoflineError with one line naming the file,
 * never another exception.
 */
const SECTIONS = ['scope', 'checks', 'alerts', 'deploy', 'exceptions', 'uploads', 'storage', 'scop'];
const value = fc.letrec((tie) => ({
  any: fc.oneof(
    { depthSize: 'small' },
    fc.string(),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('any'), { maxLength: 3 }),
    fc.dictionary(
      fc.oneof(fc.string(), fc.constantFrom('aws', 'github', 'regions', 'orgs', 'okta')),
      tie('any'),
      {
        maxKeys: 4,
      },
    ),
  ),
})).any;
const document = fc.dictionary(fc.oneof(fc.constantFrom(...SECTIONS), fc.string()), value, { maxKeys: 4 });

describe('fuzz: the config loader', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'proofline-fuzz-config-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const outcome = async (text: string) => {
    const file = join(dir, 'proofline.config.yaml');
    await writeFile(file, text);
    try {
      await loadConfig(file);
      return 'loaded';
    } catch (error) {
      expect(error).toBeInstanceOf(ProoflineError);
      expect((error as Error).message).toContain(file);
      return 'refused';
    }
  };

  it('config-shaped documents with random values: a config or one ConfigError', async () => {
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(document, async (doc) => {
        seen.add(await outcome(stringify(doc)));
      }),
      { seed: 19, numRuns: 150 },
    );
    expect(seen).toEqual(new Set(['loaded', 'refused']));
  });

  it('arbitrary text: a config or one ConfigError', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 200 }), async (text) => {
        await outcome(text);
      }),
      { seed: 19, numRuns: 150 },
    );
  });
});
