import { describe, expect, it } from 'vitest';
import { DEFAULT_CONTROLS_PATH, loadControls } from '../../controls/catalog.ts';
import { crosswalk } from '../../core/crosswalk.ts';
import { control, knownChecks } from '../support/catalog.ts';

describe('crosswalk', () => {
  it('pairs every SOC 2 criterion with every ISO requirement of the same control, listing shared controls', () => {
    const pairs = crosswalk([
      control({ id: 'A-01', soc2: ['CC6.1'], iso27001: ['A.8.5', 'A.5.17'] }),
      control({ id: 'B-01', soc2: ['CC6.1', 'CC6.2'], iso27001: ['A.5.17'] }),
      control({ id: 'C-01', soc2: [], iso27001: ['A.5.1'] }),
    ]);
    expect(pairs).toEqual([
      { soc2: 'CC6.1', iso27001: 'A.5.17', controls: ['A-01', 'B-01'] },
      { soc2: 'CC6.1', iso27001: 'A.8.5', controls: ['A-01'] },
      { soc2: 'CC6.2', iso27001: 'A.5.17', controls: ['B-01'] },
    ]);
  });

  it('orders ids numerically (CC6.2 before CC6.10, A.5.9 before A.5.10)', () => {
    const pairs = crosswalk([
      control({ id: 'A-01', soc2: ['CC6.10', 'CC6.2'], iso27001: ['A.5.10', 'A.5.9'] }),
    ]);
    expect(pairs.map((p) => `${p.soc2}/${p.iso27001}`)).toEqual([
      'CC6.2/A.5.9',
      'CC6.2/A.5.10',
      'CC6.10/A.5.9',
      'CC6.10/A.5.10',
    ]);
  });

  it('derived from the built-in catalog, links SOC 2 CC6.1 to ISO A.5.17 through the IAM controls', async () => {
    const pairs = crosswalk(await loadControls(DEFAULT_CONTROLS_PATH, knownChecks()));
    const pair = pairs.find((p) => p.soc2 === 'CC6.1' && p.iso27001 === 'A.5.17');
    expect(pair?.controls).toEqual(expect.arrayContaining(['IAM-02', 'IAM-03', 'IAM-05']));
  });
});
