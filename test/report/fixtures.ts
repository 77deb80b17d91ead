import { parsePeriod } from '../../core/archive/period.ts';
import type { ControlPeriodStatus } from '../../core/archive/period-status.ts';
import type { AnyCollector } from '../../core/collector.ts';
import type { ControlState, Finding } from '../../core/model.ts';
import type { ReportInput } from '../../core/report/html/data.ts';
import type { Frameworks } from '../../core/requirements.ts';
import { control } from '../support/catalog.ts';
import { dailyPeriodStatus } from '../support/period-status.ts';

/** Small, hand-made inputs for the report's pure parts: two sources, severities, owners, manual evidence. */
export const AT = '2026-06-30T12:00:00.000Z';
export const PERIOD = parsePeriod('2026-06-21', '2026-06-30');

const meta = (id: string, severity: 'critical' | 'high' | 'low', remediation: string) => ({
  id,
  title: `${id} title`,
  severity,
  remediation,
  procedure: `Reads the fixture and passes when ${id} holds.`,
  evaluate: () => [],
});
export const testCollectors: AnyCollector[] = [
  {
    id: 'aws.iam.credential-report',
    source: 'aws',
    description: '',
    regional: false,
    defaultSchedule: 'rate(1 day)',
    permissions: [],
    schemaVersion: 1,
    checks: [
      meta('t.root-mfa', 'critical', 'Assign an MFA device to root.'),
      meta('t.key-age', 'low', 'Rotate.'),
    ],
  },
  {
    id: 'github.repos',
    source: 'github',
    description: '',
    regional: false,
    defaultSchedule: 'rate(1 day)',
    permissions: [],
    schemaVersion: 1,
    checks: [meta('t.branch-protection', 'high', 'Protect the default branch.')],
  },
];

export const frameworks: Frameworks = {
  soc2: {
    id: 'soc2',
    name: 'SOC 2',
    version: '2017',
    requirements: ['CC6.1', 'CC6.2', 'CC8.1', 'CC9.9'].map((id) => ({
      id,
      kind: 'criterion',
      title: `${id} title`,
    })),
  },
  iso27001: {
    id: 'iso27001',
    name: 'ISO/IEC 27001:2022',
    version: '2022',
    requirements: ['A.8.5', 'A.5.1'].map((id) => ({ id, kind: 'control', title: `${id} title` })),
  },
};

export const controls = [
  control({
    id: 'IAM-01',
    owner: 'cloud-security',
    type: 'automated',
    checks: ['t.root-mfa', 't.key-age'],
    soc2: ['CC6.1'],
    iso27001: ['A.8.5'],
    links: [
      {
        framework: 'soc2',
        requirement: 'CC6.1',
        by: ['t.root-mfa'],
        rationale: 'root MFA restricts logical access',
      },
      { framework: 'iso27001', requirement: 'A.8.5', by: ['t.root-mfa'], rationale: 'secure authentication' },
    ],
  }),
  control({
    id: 'GH-01',
    owner: 'engineering',
    type: 'automated',
    checks: ['t.branch-protection'],
    soc2: ['CC8.1'],
    links: [
      { framework: 'soc2', requirement: 'CC8.1', by: ['t.branch-protection'], rationale: 'reviewed changes' },
    ],
  }),
  control({
    id: 'GOV-01',
    owner: 'security-lead',
    manualEvidence: { description: 'Signed policy', everyDays: 365 },
    soc2: ['CC6.2'],
    iso27001: ['A.5.1'],
    links: [
      { framework: 'soc2', requirement: 'CC6.2', by: ['manual'], rationale: 'policy' },
      { framework: 'iso27001', requirement: 'A.5.1', by: ['manual'], rationale: 'policy' },
    ],
  }),
  control({ id: 'ISO-ONLY', owner: 'security-lead', iso27001: ['A.5.1'], links: [] }),
];

const KEY = {
  iam: 'evidence/source=aws/collector=aws.iam.credential-report/scope=123456789012-global/dt=2026-06-30/a.json',
  gh: 'evidence/source=github/collector=github.repos/scope=acme-global/dt=2026-06-30/b.json',
};
export const EVIDENCE_KEYS = KEY;

const fail = (check: string, resource: string, reason: string): Finding => ({
  check,
  resource,
  status: 'fail',
  reason,
});
const state = (
  control: string,
  status: ControlState['status'],
  since: string,
  rest: Partial<ControlState> = {},
) =>
  ({
    control,
    status,
    failing: [],
    findingCount: 0,
    resourceCount: 0,
    evidence: [],
    gaps: [],
    since,
    evaluatedAt: AT,
    ...rest,
  }) as ControlState;

export const states: ControlState[] = [
  state('IAM-01', 'failing', '2026-06-25T10:05:00.000Z', {
    failing: [
      fail('t.root-mfa', 'arn:aws:iam::123456789012:root', 'root user has no MFA device'),
      fail('t.key-age', 'acme/web', 'key is 120 days old'),
    ],
    evidence: [KEY.iam],
  }),
  state('GH-01', 'failing', '2026-06-01T10:05:00.000Z', {
    failing: [fail('t.branch-protection', 'acme/web', 'main is not protected')],
    evidence: [KEY.gh],
  }),
  state('GOV-01', 'manual_due', '2026-06-01T10:05:00.000Z', {
    manualEvidence: { lastUploadAt: null, dueBy: null },
  }),
];

/** Ten days: IAM-01 passes four, fails four, has no evidence two; GH-01 fails throughout. */
const M = 'met' as const;
const F = 'failing' as const;
const X = 'missed' as const;
export const periodStatus = new Map<string, ControlPeriodStatus>([
  ['IAM-01', dailyPeriodStatus('IAM-01', PERIOD, [M, M, M, M, X, X, F, F, F, F], 'failing')],
  ['GH-01', dailyPeriodStatus('GH-01', PERIOD, [F, F, F, F, X, X, F, F, F, F], 'failing')],
]);

export const reportInput = (overrides: Partial<ReportInput> = {}): ReportInput => ({
  controls,
  states,
  collectors: testCollectors,
  frameworks,
  owners: {
    'cloud-security': [{ name: 'Sam Okafor', email: 'sam.okafor@example.com' }],
    engineering: [{ name: 'Maria Santos', email: 'maria.santos@example.com' }],
  },
  period: PERIOD,
  periodStatus,
  generatedAt: AT,
  generator: 'proofline test',
  store: '/tmp/store',
  ...overrides,
});
