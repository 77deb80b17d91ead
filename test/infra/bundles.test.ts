import { builtinModules } from 'node:module';
import { describe, expect, it } from 'vitest';
import { connectors } from '../../collectors/connectors.ts';
import { bundleHandler } from '../../infra/bundle.ts';
import { ALL_HANDLERS, BUNDLING, SOURCE_HANDLERS, UNDEPLOYABLE_SOURCES } from '../../infra/handlers.ts';

const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

describe('Lambda bundles (esbuild, minified, the settings NodejsFunction uses)', () => {
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
      const locales = built.inputs.filter((p) => /zod\/v4\/locales\/(?!en\.js)/.test(p));
      expect(locales, `${spec.name} bundles zod locales: import * as z from 'zod'`).toEqual([]);
    },
  );
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
