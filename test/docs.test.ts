import { readFile } from 'node:fs/promises';
import { expect, it } from 'vitest';
import { COLLECTOR_DOCS, collectorDocs } from '../scripts/collector-docs.ts';
import { CONTROLS_DOCS, controlsDocs } from '../scripts/controls-docs.ts';

it('docs/collectors.md is up to date with the registry and the catalog (run `npm run docs`)', async () => {
  expect(await readFile(COLLECTOR_DOCS, 'utf8')).toBe(await collectorDocs());
});

it('docs/controls.md carries every catalog link with its rationale, up to date (run `npm run docs`)', async () => {
  const page = await readFile(CONTROLS_DOCS, 'utf8');
  expect(page).toBe(await controlsDocs(page));
  expect(page).toMatch(/\| A\.8\.17 \| manual \| MON-01 \| `manual` \| Clock synchronisation/);
});
