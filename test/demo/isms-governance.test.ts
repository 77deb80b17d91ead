import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_GOVERNANCE_DIR } from '../../controls/governance.ts';
import { programmeStatus } from '../../core/isms/audit.ts';
import { loadIsmsFiles, PROGRAMME_FILE } from '../../core/isms/files.ts';
import { demoGovernance } from '../../demo/isms.ts';
import { catalogControls } from '../../functions/shared/catalog.ts';

describe('the demo’s audit programme is dated on the demo’s own clock', () => {
  it.each([new Date(), new Date(Date.now() + 400 * 86_400_000), new Date('2031-12-31T23:59:59Z')])(
    'on %s every audit is planned for the current cycle, none overdue',
    async (now) => {
      const store = await mkdtemp(join(tmpdir(), 'proofline-demo-governance-'));
      const { dir, year } = await demoGovernance(store, now);
      expect(year).toBe(now.getUTCFullYear());
      const { programme } = await loadIsmsFiles(dir, await catalogControls());
      const audits = programme!.data.audits;
      expect(audits.map((a) => a.id)).toEqual([`IA-${year}-1`, `IA-${year}-2`, `IA-${year}-3`]);
      expect(audits.every((a) => a.year === year && a.due > now.toISOString().slice(0, 10))).toBe(true);
      expect(programmeStatus(programme!.data, [], now).map((r) => r.state)).toEqual([
        'planned',
        'planned',
        'planned',
      ]);
      // The rest of the shipped example (titles, scopes, auditors) is kept, and the shipped file is not touched.
      const shipped = await loadIsmsFiles(DEFAULT_GOVERNANCE_DIR, await catalogControls());
      expect(audits.map((a) => a.scope)).toEqual(shipped.programme!.data.audits.map((a) => a.scope));
      expect(await readFile(join(dir, PROGRAMME_FILE), 'utf8')).toMatch(/^# Internal audit programme/);
    },
  );
});
