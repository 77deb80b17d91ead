import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CatalogError, DEFAULT_CONTROLS_PATH, loadControls, PACKAGE_ROOT } from '../../controls/catalog.ts';
import { COMPILED } from '../../controls/compiled.ts';
import { loadFrameworks } from '../../controls/frameworks.ts';
import { BUNDLE, compiledCatalogPlugin } from '../../scripts/build-cli.ts';
import { knownChecks } from '../support/catalog.ts';

type Loaders = {
  loadControls: typeof loadControls;
  loadFrameworks: typeof loadFrameworks;
  DEFAULT_CONTROLS_PATH: string;
};

/** The loaders bundled the way the CLI is (the compiled-catalog plugin), next to the package's controls/. */
describe('compiled catalog (the bundled CLI reads the catalog as data)', () => {
  let dir: string;
  let bundled: Loaders;
  let code: string;
  beforeAll(async () => {
    await mkdir(join(PACKAGE_ROOT, '.cache'), { recursive: true });
    dir = await mkdtemp(join(PACKAGE_ROOT, '.cache', 'compiled-catalog-'));
    const outfile = join(dir, 'loaders.mjs');
    await build({
      ...BUNDLE,
      sourcemap: false,
      stdin: {
        contents:
          "export { loadControls, DEFAULT_CONTROLS_PATH } from './controls/catalog.ts';\n" +
          "export { loadFrameworks } from './controls/frameworks.ts';\n",
        resolveDir: PACKAGE_ROOT,
        loader: 'ts',
      },
      outfile,
      plugins: [compiledCatalogPlugin()],
    });
    code = await readFile(outfile, 'utf8');
    bundled = (await import(pathToFileURL(outfile).href)) as Loaders;
  }, 60_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('the source tree reads the YAML: nothing compiled there', () => {
    expect(COMPILED).toBeUndefined();
  });

  it('the bundle carries the catalog as data and returns what the YAML loaders return', async () => {
    expect(code).toContain('var COMPILED = JSON.parse(');
    expect(await bundled.loadFrameworks()).toEqual(await loadFrameworks());
    expect(await bundled.loadControls(bundled.DEFAULT_CONTROLS_PATH, knownChecks())).toEqual(
      await loadControls(DEFAULT_CONTROLS_PATH, knownChecks()),
    );
  });

  it('the compiled controls are still checked against the checks the caller knows', async () => {
    const known = knownChecks();
    const without = { has: (id: string) => id !== 'aws.iam.root-mfa' && known.has(id) };
    const failure = bundled.loadControls(bundled.DEFAULT_CONTROLS_PATH, without);
    await expect(failure).rejects.toThrow('control IAM-01: checks: unknown check id "aws.iam.root-mfa"');
    await expect(failure).rejects.toMatchObject({ name: 'CatalogError' });
    // The same error the YAML loader raises for the same catalog.
    await expect(loadControls(DEFAULT_CONTROLS_PATH, without)).rejects.toThrow(CatalogError);
  });
});
