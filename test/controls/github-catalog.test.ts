import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { collectors } from '../../collectors/index.ts';
import { DEFAULT_CONTROLS_PATH, loadControls } from '../../controls/catalog.ts';
import { checkIndex } from '../../core/pipeline.ts';
import { UNMAPPED_CHECKS } from '../support/catalog.ts';

describe('GitHub controls in the catalog', () => {
  it('load, and every GitHub check feeds a GH control mapped to both frameworks', async () => {
    const controls = await loadControls(DEFAULT_CONTROLS_PATH, new Set(checkIndex(collectors).keys()));
    const gh = controls.filter((c) => c.id.startsWith('GH-'));
    expect(gh.length).toBeGreaterThanOrEqual(10);
    for (const control of gh) {
      expect(control.soc2.length, control.id).toBeGreaterThan(0);
      expect(
        control.iso27001.every((id) => /^A\.[5-8]\.\d+$/.test(id)),
        control.id,
      ).toBe(true);
    }
    const fed = new Set(gh.flatMap((c) => c.checks));
    const githubChecks = collectors
      .filter((c) => c.source === 'github')
      .flatMap((c) => c.checks.map((k) => k.id));
    expect(githubChecks.filter((id) => !fed.has(id))).toEqual(
      Object.keys(UNMAPPED_CHECKS).filter((id) => id.startsWith('github.')),
    );
    // Change management (CC8.1) rests on the pull-request evidence.
    const approval = gh.find((c) => c.checks.includes('github.pr.independent-approval'));
    expect(approval?.links.find((l) => l.requirement === 'CC8.1')?.by).toContain(
      'github.pr.independent-approval',
    );
  });

  it('are all documented in docs/sources/github.md with their collector permissions', async () => {
    const doc = await readFile(new URL('../../docs/sources/github.md', import.meta.url), 'utf8');
    for (const collector of collectors.filter((c) => c.source === 'github')) {
      expect(doc).toContain(`\`${collector.id}\``);
      for (const check of collector.checks)
        expect(doc, check.id).toMatch(
          new RegExp(`\\| \`${check.id.replaceAll('.', '\\.')}\` +\\| ${check.severity} +\\|`),
        );
      for (const permission of collector.permissions)
        expect(doc, permission).toContain(`[\`${permission.replace(/:read$/, '')}\`]`);
    }
  });
});
