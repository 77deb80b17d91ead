import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { builtInChecks } from '../../collectors/check-catalog.ts';
import { COMPILED_CHECKS } from '../../collectors/compiled-checks.ts';
import { collectors } from '../../collectors/index.ts';
import { CatalogError, DEFAULT_CONTROLS_PATH, loadControls, PACKAGE_ROOT } from '../../controls/catalog.ts';
import { COMPILED } from '../../controls/compiled.ts';
import { loadFrameworks } from '../../controls/frameworks.ts';
import { checkCatalog } from '../../core/collector.ts';
import { COMPILED_DEFAULT_CONFIG } from '../../core/compiled-config.ts';
import { configSchema } from '../../core/config.ts';
import type { loadConfig } from '../../core/config-file.ts';
import { BUNDLE, compiledCatalogPlugin } from '../../scripts/build-cli.ts';
import { knownChecks } from '../support/catalog.ts';

type Loaders = {
  loadControls: typeof loadControls;
  loadFrameworks: typeof loadFrameworks;
  DEFAULT_CONTROLS_PATH: string;
  builtInChecks: typeof builtInChecks;
  loadConfig: typeof loadConfig;
};

/** The loaders bundled the way the CLI is (the compiled-catalog plugin), next to the package's controls/. */
describe('compiled catalog (the bundled CLI reads the catalog, the checks and the default config as data)', () => {
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
          "export { loadFrameworks } from './controls/frameworks.ts';\n" +
          "export { builtInChecks } from './collectors/check-catalog.ts';\n" +
          "export { loadConfig } from './core/config-file.ts';\n",
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

  it('the source tree reads the YAML, the collectors and the schema: nothing compiled there', () => {
    expect(COMPILED).toBeUndefined();
    expect(COMPILED_CHECKS).toBeUndefined();
    expect(COMPILED_DEFAULT_CONFIG).toBeUndefined();
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

  it('the bundle names the checks from data, as the collector definitions do', async () => {
    expect(code).toContain('var COMPILED_CHECKS = JSON.parse(');
    const compiled = await bundled.builtInChecks();
    expect([...compiled]).toEqual([...checkCatalog(collectors)]);
    expect(compiled.get('aws.iam.root-mfa')).toMatchObject({ source: 'aws', severity: 'critical' });
  });

  it('without a config file the bundle returns the schema defaults, compiled; a file is still validated', async () => {
    expect(code).toContain('var COMPILED_DEFAULT_CONFIG = JSON.parse(');
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      expect(await bundled.loadConfig()).toEqual(configSchema.parse({}));
    } finally {
      process.chdir(cwd);
    }
    const file = join(dir, 'proofline.config.yaml');
    await writeFile(file, 'checks:\n  aws:\n    data:\n      secretRotationDays: 0\n');
    await expect(bundled.loadConfig(file)).rejects.toThrow(/secretRotationDays/);
    await expect(bundled.loadConfig(file)).rejects.toMatchObject({ name: 'ConfigError' });
  });
});
