import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFrameworks } from '../../controls/frameworks.ts';
import type { ControlStatus } from '../../core/model.ts';
import { requestCounts, requestList, requestListCsv, requestListMarkdown } from '../../core/request-list.ts';
import type { Frameworks } from '../../core/requirements.ts';
import { control } from '../support/catalog.ts';

let frameworks: Frameworks;
beforeAll(async () => {
  frameworks = await loadFrameworks();
});

const controls = [
  control({
    id: 'IAM-01',
    type: 'automated',
    checks: ['aws.iam.root-mfa'],
    soc2: ['CC6.1'],
    iso27001: ['A.8.5'],
  }),
  control({
    id: 'ACS-03',
    soc2: ['CC6.2'],
    iso27001: ['A.5.18'],
    manualEvidence: { description: 'Quarterly access review sign-off', everyDays: 90 },
  }),
  control({ id: 'LOG-01', type: 'automated', checks: ['aws.cloudtrail.enabled'], soc2: ['CC7.2'] }),
  control({ id: 'PHY-05', iso27001: ['A.7.14'] }),
];
const statuses: Record<string, ControlStatus> = {
  'IAM-01': 'passing',
  'ACS-03': 'manual_due',
  'LOG-01': 'failing',
  'PHY-05': 'no_evidence',
};
const statusOf = (id: string) => statuses[id] ?? 'no_evidence';
const filesOf = (id: string) =>
  id === 'IAM-01'
    ? ['evidence/source=aws/collector=aws.iam.credential-report/scope=x', 'populations/IAM-01.csv']
    : [];

describe('request list (PBC)', () => {
  it('names what answers a requirement with evidence, and what is outstanding for one failing, one due, one without a control', () => {
    const rows = requestList({ framework: frameworks.soc2, controls, statusOf, filesOf });
    const row = (id: string) => rows.find((r) => r.requirement === id)!;
    expect(rows).toHaveLength(frameworks.soc2.requirements.length);
    expect(row('CC6.1')).toMatchObject({
      status: 'passing',
      controls: ['IAM-01'],
      checks: ['aws.iam.root-mfa'],
      files: filesOf('IAM-01'),
      outstanding: [],
    });
    expect(row('CC6.2')).toMatchObject({
      status: 'manual_due',
      records: ['ACS-03: Quarterly access review sign-off'],
      outstanding: ['ACS-03: manual evidence due'],
    });
    expect(row('CC7.2')).toMatchObject({ status: 'failing', outstanding: ['LOG-01: failing'] });
    expect(row('CC1.1')).toMatchObject({
      status: 'no_control',
      controls: [],
      outstanding: ['no internal control'],
    });
  });

  it('reports an excluded Annex A control as not applicable, with nothing outstanding; a control without evidence as such', () => {
    const rows = requestList({
      framework: frameworks.iso27001,
      controls,
      statusOf,
      excluded: new Set(['A.7.14']),
    });
    expect(rows.find((r) => r.requirement === 'A.7.14')).toMatchObject({
      status: 'not_applicable',
      outstanding: [],
    });
    const included = requestList({ framework: frameworks.iso27001, controls, statusOf });
    expect(included.find((r) => r.requirement === 'A.7.14')!.outstanding).toEqual(['PHY-05: no evidence']);
    expect(requestCounts(rows).notApplicable).toBe(1);
  });

  it('writes every requirement to CSV and only the outstanding ones, with counts, to Markdown', () => {
    const rows = requestList({ framework: frameworks.soc2, controls, statusOf, filesOf });
    const csv = parse(requestListCsv(rows), { columns: true }) as Record<string, string>[];
    expect(csv).toHaveLength(rows.length);
    expect(csv.find((r) => r.requirement === 'CC6.1')).toMatchObject({
      controls: 'IAM-01',
      archive_files: filesOf('IAM-01').join(' '),
      outstanding: '',
    });
    const n = requestCounts(rows);
    expect(n).toMatchObject({ failing: 1, manualDue: 1, noEvidence: 0 });
    expect(n.outstanding).toBe(n.noControl + 2);
    const md = requestListMarkdown(rows);
    expect(md).toContain(
      `${n.outstanding} outstanding: ${n.noControl} with no internal control, 1 with a failing control`,
    );
    expect(md).toContain('| CC7.2 |');
    expect(md).not.toContain('| CC6.1 |');
  });
});
