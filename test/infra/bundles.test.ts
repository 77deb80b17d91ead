import { builtinModules } from 'node:module';
import { describe, expect, it } from 'vitest';
import { bundleHandler } from '../../infra/bundle.ts';
import { BUNDLING, HANDLERS } from '../../infra/handlers.ts';

const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

describe('Lambda bundles (esbuild, minified, the settings NodejsFunction uses)', () => {
  it.each(HANDLERS.map((h) => [h.name, h] as const))(
    '%s is at most 1 MB and imports only the runtime’s modules',
    async (_, spec) => {
      const built = await bundleHandler(spec);
      expect(built.bytes).toBeGreaterThan(1000);
      expect(built.bytes).toBeLessThanOrEqual(BUNDLING.maxBytes);
      for (const path of built.externalImports) {
        expect(builtins.has(path) || path.startsWith('@aws-sdk/'), `${spec.name} imports ${path}`).toBe(true);
      }
    },
  );
});
