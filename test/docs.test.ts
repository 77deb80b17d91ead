import { readFile } from 'node:fs/promises';
import { expect, it } from 'vitest';
import { COLLECTOR_DOCS, collectorDocs } from '../scripts/collector-docs.ts';

it('docs/collectors.md is up to date with the registry and the catalog (run `npm run docs`)', async () => {
  expect(await readFile(COLLECTOR_DOCS, 'utf8')).toBe(await collectorDocs());
});
