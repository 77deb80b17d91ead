import { beforeAll, describe, expect, it } from 'vitest';
import { loadFrameworks } from '../../controls/frameworks.ts';
import type { Risk } from '../../core/governance.ts';
import type { ControlStatus } from '../../core/model.ts';
import type { Frameworks } from '../../core/requirements.ts';
import { ApplicabilityError, statementOfApplicability } from '../../core/soa.ts';
import { control } from '../support/catalog.ts';

let frameworks: Frameworks;
beforeAll(async () => {
  frameworks = await loadFrameworks();
});

const controls = [
  control({ id: 'IAM-01', type: 'automated', checks: ['c'], iso27001: ['A.8.2', 'A.8.5'] }),
  control({ id: 'ACS-03', iso27001: ['A.8.2', 'A.5.18'] }),
  control({ id: 'PHY-05', iso27001: ['A.7.12'] }),
];
const risks: Risk[] = [
  {
    id: 'R-10',
    description: 'd',
    likelihood: 1,
    impact: 1,
    treatment: 'mitigate',
    owner: 'o',
    controls: ['ACS-03'],
  },
  {
    id: 'R-2',
    description: 'd',
    likelihood: 1,
    impact: 1,
    treatment: 'mitigate',
    owner: 'o',
    controls: ['IAM-01'],
  },
];
const statuses: Record<string, ControlStatus> = {
  'IAM-01': 'failing',
  'ACS-03': 'passing',
  'PHY-05': 'manual_due',
};
const soa = (
  applicability = { exclusions: [], inclusions: [] } as Parameters<
    typeof statementOfApplicability
  >[0]['applicability'],
) =>
  statementOfApplicability({
    iso27001: frameworks.iso27001,
    controls,
    applicability,
    risks,
    statusOf: (id) => statuses[id] ?? 'no_evidence',
  });

describe('statementOfApplicability', () => {
  it('lists all 93 Annex A controls in order, applicable unless excluded', () => {
    const rows = soa();
    expect(rows).toHaveLength(93);
    expect(rows[0]?.control).toBe('A.5.1');
    expect(rows.at(-1)?.control).toBe('A.8.34');
    expect(rows.every((r) => r.applicable)).toBe(true);
  });

  it('gives implementing controls, the worst status, the risks addressed and a generated justification', () => {
    const a82 = soa().find((r) => r.control === 'A.8.2')!;
    expect(a82).toMatchObject({
      theme: 'technological',
      applicable: true,
      implementedBy: ['IAM-01', 'ACS-03'],
      status: 'failing',
      risks: ['R-2', 'R-10'],
      justification: 'Selected to treat risks R-2, R-10',
    });
    const a712 = soa().find((r) => r.control === 'A.7.12')!;
    expect(a712).toMatchObject({
      status: 'manual_due',
      risks: [],
      justification: 'Selected as part of the baseline control set',
    });
    const a51 = soa().find((r) => r.control === 'A.5.1')!;
    expect(a51).toMatchObject({ implementedBy: [], status: 'no_control' });
  });

  it('marks an excluded control not applicable with its justification, and uses given inclusion justifications', () => {
    const rows = soa({
      exclusions: [{ control: 'A.7.12', justification: 'No company premises' }],
      inclusions: [{ control: 'A.8.2', justification: 'Required by customer contracts' }],
    });
    expect(rows.find((r) => r.control === 'A.7.12')).toMatchObject({
      applicable: false,
      status: 'not_applicable',
      justification: 'No company premises',
      implementedBy: ['PHY-05'],
    });
    expect(rows.find((r) => r.control === 'A.8.2')?.justification).toBe('Required by customer contracts');
  });

  it('refuses an exclusion without a justification', () => {
    expect(() => soa({ exclusions: [{ control: 'A.7.12', justification: ' ' }], inclusions: [] })).toThrow(
      new ApplicabilityError(
        'exclusion without a justification: A.7.12 (an excluded Annex A control must say why)',
      ),
    );
  });
});
