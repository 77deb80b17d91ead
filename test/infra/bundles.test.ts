import { mkdtempSync, readdirSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { describe, expect, it } from 'vitest';
import { awsCollectors } from '../../collectors/aws/index.ts';
import { connectors } from '../../collectors/connectors.ts';
import { bundleHandler } from '../../infra/bundle.ts';
import { prooflineFunction } from '../../infra/function.ts';
import { ALL_HANDLERS, BUNDLING, SOURCE_HANDLERS, UNDEPLOYABLE_SOURCES } from '../../infra/handlers.ts';

const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

describe('Lambda bundles (infra/bundle.ts: esbuild, minified, split at dynamic imports)', () => {
  it.each(ALL_HANDLERS.map((h) => [h.name, h] as const))(
    '%s is at most 1 MB and imports only the runtime’s modules',
    async (_, spec) => {
      const built = await bundleHandler(spec);
      expect(built.bytes).toBeGreaterThan(1000);
      expect(built.bytes).toBeLessThanOrEqual(BUNDLING.maxBytes);
      for (const path of built.externalImports) {
        expect(builtins.has(path) || path.startsWith('@aws-sdk/'), `${spec.name} imports ${path}`).toBe(true);
      }
      // `import { z } from 'zod'` anywhere keeps zod's whole namespace, every locale included (~380 kB):
      // the code imports `* as z`, which esbuild tree-shakes.
      const locales = [...built.inputs.keys()].filter((p) => /zod\/v4\/locales\/(?!en\.js)/.test(p));
      expect(locales, `${spec.name} bundles zod locales: import * as z from 'zod'`).toEqual([]);
    },
  );
});

describe('what a function loads at start', () => {
  it('collect loads no AWS collector’s SDK client at start: each collect module is a chunk imported when its collector runs', async () => {
    const built = await bundleHandler(ALL_HANDLERS.find((h) => h.name === 'collect')!);
    // The store's clients, and STS for the session and the member role: nothing a collector reads.
    expect(built.initExternalImports.filter((i) => i.startsWith('@aws-sdk/'))).toEqual([
      '@aws-sdk/client-dynamodb',
      '@aws-sdk/client-s3',
      '@aws-sdk/client-sts',
      '@aws-sdk/credential-providers',
    ]);
    const collectModules = [...built.chunks.keys()].filter((s) =>
      /^collectors\/aws\/[^/]+\/collect\.ts$/.test(s),
    );
    expect(collectModules).toHaveLength(awsCollectors.length);
    expect(built.externalImports).toContain('@aws-sdk/client-ec2');
    expect(built.initExternalImports).not.toContain('@aws-sdk/client-ec2');
  });

  it('the catalog is compiled into every function that loads it, and only the governance readers load the YAML parser at start', async () => {
    const yamlAtStart: string[] = [];
    const withCatalog: string[] = [];
    for (const spec of ALL_HANDLERS) {
      const built = await bundleHandler(spec);
      if ([...built.initInputs.keys()].some((p) => p.includes('node_modules/yaml/')))
        yamlAtStart.push(spec.name);
      const compiled = built.initInputs.get('controls/compiled.ts');
      if (compiled === undefined) continue;
      withCatalog.push(spec.name);
      // The source module is a one-line `undefined`; compiled, it is the whole catalog as data.
      expect(compiled, spec.name).toBeGreaterThan(100_000);
    }
    expect(withCatalog).toEqual(['evaluate', 'summary', 'export']);
    // summary and export read the ISMS governance files (YAML) when they run.
    expect(yamlAtStart).toEqual(['summary', 'export']);
  });
});

describe('source functions', () => {
  it('every source besides AWS has a function or a stated reason why it cannot be deployed', () => {
    const deployable = SOURCE_HANDLERS.map((h) => h.source);
    for (const { source } of connectors.filter((c) => c.source !== 'aws')) {
      expect(deployable.includes(source) !== Boolean(UNDEPLOYABLE_SOURCES[source]), source).toBe(true);
    }
    expect(deployable).toEqual(['github', 'entra', 'google', 'okta', 'identity-center']);
    expect(UNDEPLOYABLE_SOURCES).toEqual({});
    for (const h of SOURCE_HANDLERS) expect(h.entry).toBe(`functions/sources/${h.source}.ts`);
  });
});

describe('the stack’s functions bundled at synth', () => {
  it('bundles each function with infra/bundle.ts into its own asset: index.mjs and its chunks', async () => {
    const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'proofline-synth-')) });
    const stack = new Stack(app, 'Bundled');
    const bySpec = ['digest', 'collect-okta'].map((name) => {
      const spec = ALL_HANDLERS.find((h) => h.name === name)!;
      return prooflineFunction(stack, spec, { environment: {}, logRetention: RetentionDays.ONE_DAY });
    });
    const assembly = app.synth();
    const keys = bySpec.map(
      (fn) => (stack.resolve((fn.node.defaultChild as CfnFunction).code) as { s3Key: string }).s3Key,
    );
    // Two functions, two bundles (CDK's bundling cache must not hand one function's bundle to the other).
    expect(new Set(keys).size).toBe(2);
    for (const key of keys) {
      const dir = join(assembly.directory, `asset.${key.replace(/\.zip$/, '')}`);
      expect(readdirSync(dir)).toContain('index.mjs');
      expect(readdirSync(dir)).toContain('chunks');
    }
  }, 120_000);
});
