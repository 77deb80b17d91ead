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
    const manual = (control: string) => ({ control, by: ['manual'] });
    expect(pairs).toEqual([
      {
        soc2: 'CC6.1',
        iso27001: 'A.5.17',
        controls: ['A-01', 'B-01'],
        evidence: [manual('A-01'), manual('B-01')],
        automated: false,
      },
      { soc2: 'CC6.1', iso27001: 'A.8.5', controls: ['A-01'], evidence: [manual('A-01')], automated: false },
      { soc2: 'CC6.2', iso27001: 'A.5.17', controls: ['B-01'], evidence: [manual('B-01')], automated: false },
    ]);
  });

  it('pairs two requirements only through evidence a control names in both links', () => {
    const link = (framework: 'soc2' | 'iso27001', requirement: string, by: string[]) => ({
      framework,
      requirement,
      by,
      rationale: 'r',
    });
    const pairs = crosswalk([
      control({
        id: 'H-01',
        type: 'hybrid',
        checks: ['c.one', 'c.two'],
        soc2: ['CC7.1', 'CC7.2'],
        iso27001: ['A.8.9', 'A.8.16'],
        links: [
          link('soc2', 'CC7.1', ['c.one', 'manual']),
          link('soc2', 'CC7.2', ['c.two']),
          link('iso27001', 'A.8.9', ['c.one']),
          link('iso27001', 'A.8.16', ['manual']),
        ],
      }),
    ]);
    expect(pairs).toEqual([
      {
        soc2: 'CC7.1',
        iso27001: 'A.8.9',
        controls: ['H-01'],
        evidence: [{ control: 'H-01', by: ['c.one'] }],
        automated: true,
      },
      {
        soc2: 'CC7.1',
        iso27001: 'A.8.16',
        controls: ['H-01'],
        evidence: [{ control: 'H-01', by: ['manual'] }],
        automated: false,
      },
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
    expect(pair?.automated).toBe(true);
    // GH-05 maps CC8.1 through web commit sign-off and A.8.16 through the audit log: no shared evidence.
    const gh05 = pairs.find((p) => p.soc2 === 'CC8.1' && p.iso27001 === 'A.8.16');
    expect(gh05?.controls ?? []).not.toContain('GH-05');
  });
});
