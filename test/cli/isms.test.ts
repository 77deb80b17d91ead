import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_GOVERNANCE_DIR } from '../../controls/governance.ts';
import { EXIT } from '../../core/errors.ts';
import type { NcView } from '../../core/isms/nc.ts';
import { ISMS_COLLECTOR } from '../../core/isms/records.ts';
import { LocalSigner } from '../../core/signing.ts';
import { LocalStore } from '../../core/stores/local-store.ts';
import { unzipToMemory } from '../support/archive.ts';
import { runCli, storeWithPublicBucket } from '../support/cli.ts';
import { runAt } from '../support/clock.ts';

let store: string;
let governance: string;
beforeEach(async () => {
  store = await storeWithPublicBucket();
  governance = await mkdtemp(join(tmpdir(), 'proofline-governance-'));
  await cp(DEFAULT_GOVERNANCE_DIR, governance, { recursive: true });
});

const cli = (...args: string[]) => runCli(['--store', store, '--governance', governance, ...args]);
const today = () => new Date().toISOString().slice(0, 10);

/** The ISMS records of a kind in the store, oldest first. */
async function ismsKeys(kind: string): Promise<string[]> {
  const s = await LocalStore.open(store);
  try {
    return (await s.listArtifacts({ collector: ISMS_COLLECTOR, scopeKey: `${kind}-global` })).map(
      (r) => r.key,
    );
  } finally {
    await s.close();
  }
}
const ncList = async () => JSON.parse((await cli('nc', 'list', '--json')).out) as NcView[];
const status = async () =>
  JSON.parse((await cli('isms', 'status', '--json')).out) as {
    gaps: string[];
    soa: { approval?: { version: string; approver: string }; changedAfterApproval: boolean };
    programme: { audit: string; state: string }[];
  };

describe('proofline isms record (register versions)', () => {
  it('records the risk register only when it changed, each change a new record beside the old ones', async () => {
    expect((await cli('isms', 'record', '--by', 'dana')).code).toBe(EXIT.ok);
    const first = await ismsKeys('register');
    expect(first).toHaveLength(3); // risks.yaml, context.yaml, audit-programme.yaml
    const again = await cli('isms', 'record');
    expect(again.out).toContain('unchanged since their last record');
    expect(await ismsKeys('register')).toEqual(first);
    const risks = join(governance, 'risks.yaml');
    await writeFile(risks, (await readFile(risks, 'utf8')).replace('likelihood: 3', 'likelihood: 4'));
    const changed = await cli('isms', 'record');
    expect(changed.out).toMatch(/^risks\.yaml: new version recorded/);
    const after = await ismsKeys('register');
    expect(after).toHaveLength(4);
    expect(after).toEqual(expect.arrayContaining(first));
  });

  it('refuses a context file with an objective measured by an unknown control, naming it', async () => {
    const context = join(governance, 'context.yaml');
    await writeFile(
      context,
      (await readFile(context, 'utf8')).replace('{ control: IAM-01 }', '{ control: NOPE-01 }'),
    );
    const { code, err } = await cli('isms', 'record');
    expect(code).toBe(EXIT.error);
    expect(err.split('\n')).toHaveLength(1);
    expect(err).toContain('objective OBJ-01: measure: unknown control "NOPE-01"');
    expect(await ismsKeys('register')).toEqual([]);
  });
});

describe('proofline soa approve', () => {
  it('records the approval with the content hash, and the SoA shows as changed once an exclusion changes', async () => {
    expect((await status()).gaps).toContain('SoA: the Statement of Applicability has never been approved');
    const approved = await cli('soa', 'approve', '--version', '2026.1', '--approver', 'Alex Morgan');
    expect(approved.code, approved.err).toBe(EXIT.ok);
    expect(approved.out).toMatch(/SoA version 2026\.1 \(sha256 [0-9a-f]{64}\) approved by Alex Morgan/);
    let now = await status();
    expect(now.soa).toMatchObject({
      approval: { version: '2026.1', approver: 'Alex Morgan' },
      changedAfterApproval: false,
    });
    expect(now.gaps.filter((g) => g.startsWith('SoA'))).toEqual([]);
    const applicability = join(governance, 'applicability.yaml');
    await writeFile(
      applicability,
      (await readFile(applicability, 'utf8')).replace('No software development', 'No development'),
    );
    now = await status();
    expect(now.soa.changedAfterApproval).toBe(true);
    expect(now.gaps.some((g) => g.includes('changed after version 2026.1 was approved'))).toBe(true);
    expect(await ismsKeys('soa-approval')).toHaveLength(1);
  });

  it('refuses an approval without an approver: one line, exit 2, nothing recorded', async () => {
    const { code, err } = await cli('soa', 'approve', '--version', '2026.1');
    expect(code).toBe(EXIT.usage);
    expect(err).toBe('proofline: an approval names the approver (--approver)');
    expect(await ismsKeys('soa-approval')).toEqual([]);
  });
});

describe('proofline audit record', () => {
  it('records an audit of the programme; its nonconformity finding opens one in the register', async () => {
    const { code, out, err } = await cli(
      'audit',
      'record',
      '--audit',
      'IA-2026-1',
      '--date',
      today(),
      '--auditor',
      'Dana Reyes',
      '--finding',
      'GH-02: collaborators reviewed',
      '--nonconformity',
      'IAM-04: leaver kept access for 5 days',
    );
    expect(code, err).toBe(EXIT.ok);
    expect(out).toContain('IA-2026-1 performed');
    const [nc] = await ncList();
    expect(nc).toMatchObject({
      source: 'internal-audit',
      audit: 'IA-2026-1',
      control: 'IAM-04',
      state: 'open',
      owner: 'cloud-security',
    });
    expect((await status()).programme.find((p) => p.audit === 'IA-2026-1')?.state).toBe('done');
  });

  it.each([
    [['--date', '2026/11/20'], '--date "2026/11/20" is not a date: use YYYY-MM-DD'],
    [['--date', '2026-11-20', '--finding', 'NOPE-9: something'], 'finding 1: unknown control "NOPE-9"'],
    [['--date', '2026-11-20', '--audit', 'IA-1999-1'], 'audit "IA-1999-1" is not in the audit programme'],
  ])('refuses %j with one line and exit 2, recording nothing', async (extra, message) => {
    const args = ['--audit', 'IA-2026-1', '--auditor', 'Dana', ...extra];
    const { code, err } = await cli('audit', 'record', ...args);
    expect(code).toBe(EXIT.usage);
    expect(err.split('\n')).toHaveLength(1);
    expect(err).toContain(message);
    expect(await ismsKeys('audit')).toEqual([]);
  });
});

describe('proofline nc', () => {
  const add = (...extra: string[]) =>
    cli(
      'nc',
      'add',
      '--source',
      'incident',
      '--description',
      'laptop lost unencrypted',
      '--owner',
      'it',
      ...extra,
    );

  it('keeps every change as a record: open, update, close, reopen with a reason', async () => {
    const opened = await add('--due', '2030-01-31', '--control', 'AST-03');
    expect(opened.code, opened.err).toBe(EXIT.ok);
    const id = /NC-[0-9A-F]{8}/.exec(opened.out)![0];
    expect((await cli('nc', 'close', id, '--effectiveness', 'checked')).err).toContain(
      'has no corrective action on record',
    );
    expect((await cli('nc', 'update', id, '--root-cause', 'no MDM', '--action', 'enrol in MDM')).code).toBe(
      EXIT.ok,
    );
    expect((await cli('nc', 'close', id, '--effectiveness', 'all laptops report encryption')).code).toBe(
      EXIT.ok,
    );
    let [view] = await ncList();
    expect(view).toMatchObject({
      id,
      state: 'closed',
      rootCause: 'no MDM',
      action: 'enrol in MDM',
      effectiveness: 'all laptops report encryption',
    });

    const noReason = await cli('nc', 'update', id, '--reopen');
    expect(noReason.code).toBe(EXIT.usage);
    expect(noReason.err).toBe(`proofline: reopening ${id} needs a reason (--reason)`);
    const closedEdit = await cli('nc', 'update', id, '--note', 'late note');
    expect(closedEdit.code).toBe(EXIT.usage);
    expect(closedEdit.err).toContain(`${id} is closed: reopen it with --reopen --reason`);

    expect((await cli('nc', 'update', id, '--reopen', '--reason', 'a second laptop found')).code).toBe(
      EXIT.ok,
    );
    [view] = await ncList();
    expect(view).toMatchObject({ state: 'open', reopened: 1 });
    expect(view!.notes.at(-1)).toContain('reopened: a second laptop found');
    expect(view!.evidence).toHaveLength(4);
    expect(await ismsKeys('nc')).toEqual(view!.evidence);
  });

  it.each([
    [['--due', '31.01.2030'], '--due "31.01.2030" is not a date: use YYYY-MM-DD'],
    [['--due', '2030-01-31', '--control', 'NOPE-1'], 'unknown control "NOPE-1"'],
    [['--due', '2030-01-31', '--source', 'rumour'], 'unknown source "rumour"'],
  ])('refuses %j with one line and exit 2', async (extra, message) => {
    const { code, err } = await add(...extra);
    expect(code).toBe(EXIT.usage);
    expect(err.split('\n')).toHaveLength(1);
    expect(err).toContain(message);
    expect(await ismsKeys('nc')).toEqual([]);
  });

  it('opens one for a control failing past its severity due date, once, and shows it overdue when its action is late', async () => {
    expect((await cli('evaluate')).code).toBe(EXIT.ok);
    expect((await cli('nc', 'sync')).out).toBe('');
    const later = new Date(Date.now() + 200 * 86_400_000);
    const synced = await runAt(later, () => cli('nc', 'sync'));
    expect(synced.out).toMatch(/NC-[0-9A-F]{8} opened: DATA-02 .* past its critical-severity due date/);
    expect((await runAt(new Date(later.getTime() + 60_000), () => cli('nc', 'sync'))).out).toBe('');
    const all = await runAt(new Date(later.getTime() + 60_000), ncList);
    expect(all.filter((n) => n.control === 'DATA-02')).toHaveLength(1);
    const nc = all.find((n) => n.control === 'DATA-02');
    expect(nc).toMatchObject({ source: 'failing-control', control: 'DATA-02', state: 'open' });
    const overdue = `nonconformity ${nc!.id} (DATA-02): corrective action due ${nc!.due} is overdue`;
    const gaps = await runAt(new Date(later.getTime() + 100 * 86_400_000), () => cli('isms', 'status'));
    expect(gaps.out).toContain(overdue);
    // the daily digest carries the overdue action too, not only the failing control
    const digest = await runAt(new Date(later.getTime() + 100 * 86_400_000), () =>
      cli('alerts', '--digest', '--json'),
    );
    const { governanceGaps } = JSON.parse(digest.out) as { governanceGaps: string[] };
    expect(governanceGaps).toContainEqual(expect.stringContaining(overdue));
  });
});

describe('proofline management-review', () => {
  it('writes the 9.3 input pack as Markdown, HTML and CSV, and records the review decisions', async () => {
    await cli('evaluate');
    await cli('isms', 'record');
    await cli(
      'nc',
      'add',
      '--source',
      'incident',
      '--description',
      'phishing <b>click</b>',
      '--owner',
      'it',
      '--due',
      '2030-01-31',
    );
    const out = await mkdtemp(join(tmpdir(), 'proofline-review-'));
    const period = `${today().slice(0, 4)}-01-01..${today()}`;
    const made = await cli('management-review', '--period', period, '--out', out);
    expect(made.code, made.err).toBe(EXIT.ok);
    const md = await readFile(join(out, 'management-review.md'), 'utf8');
    for (const heading of [
      'a) Status of actions',
      'b) Changes in external',
      'd1) Nonconformities',
      'd2) Monitoring',
      'd3) Audit results',
      'd4) Fulfilment',
      'f) Results of risk assessment',
      'g) Opportunities',
    ])
      expect(md).toContain(heading);
    expect(md).toMatch(/\| DATA-02 \| .* \| failing \|/);
    expect(md).toContain('| OBJ-02 |');
    expect(md).toContain('phishing \\<b\\>click\\</b\\>');
    const html = await readFile(join(out, 'management-review.html'), 'utf8');
    expect(html).toContain('phishing &lt;b&gt;click&lt;/b&gt;');
    expect(await readFile(join(out, 'management-review.csv'), 'utf8')).toMatch(/^section,c1,/);

    const recorded = await cli(
      'management-review',
      'record',
      '--held-on',
      today(),
      '--period',
      period,
      '--decision',
      'fund MDM',
      '--action',
      `roll out MDM|it|2030-03-31`,
    );
    expect(recorded.code, recorded.err).toBe(EXIT.ok);
    const next = await cli('management-review', '--period', period);
    expect(next.out).toMatch(/\| RA-\d{8}-1 \| .* \| it \| 2030-03-31 \| open \| roll out MDM \|/);
  });

  it.each([
    [['--period', '2026-01-01..2026-13-01'], 'is not a date'],
    [['--period', '2026-01-01'], 'is not a period: use YYYY-MM-DD..YYYY-MM-DD'],
  ])('refuses %j with one line and exit 2', async (args, message) => {
    const { code, err } = await cli('management-review', ...args);
    expect(code).toBe(EXIT.usage);
    expect(err.split('\n')).toHaveLength(1);
    expect(err).toContain(message);
  });

  it('refuses a review action not in the form text|owner|day', async () => {
    const { code, err } = await cli(
      'management-review',
      'record',
      '--held-on',
      today(),
      '--period',
      '2026-01-01..2026-06-30',
      '--decision',
      'x',
      '--action',
      'do it|it|next week',
    );
    expect(code).toBe(EXIT.usage);
    expect(err).toContain('--action "do it|it|next week" must be "text|owner|YYYY-MM-DD"');
    expect(await ismsKeys('review')).toEqual([]);
  });
});

describe('an ISO 27001 export', () => {
  it('carries the risk register, its history, the way back from controls, the SoA approval, the audit programme and the NC register', async () => {
    await cli('evaluate');
    await cli('isms', 'record', '--by', 'dana');
    await cli('soa', 'approve', '--version', '2026.1', '--approver', 'Alex Morgan');
    await cli(
      'audit',
      'record',
      '--audit',
      'IA-2026-1',
      '--date',
      today(),
      '--auditor',
      'Dana Reyes',
      '--nonconformity',
      'IAM-04: late leaver',
    );
    await LocalSigner.open(store);
    const out = join(await mkdtemp(join(tmpdir(), 'proofline-iso-')), 'iso.zip');
    const exported = await cli(
      'export',
      '--framework',
      'iso27001',
      '--from',
      today(),
      '--to',
      today(),
      '--out',
      out,
    );
    expect(exported.code, exported.err).toBe(EXIT.ok);
    const files = new Map(
      (await unzipToMemory(await readFile(out))).map((e) => [e.name, e.bytes.toString('utf8')]),
    );
    const register = files.get('isms/risk-register.csv')!;
    expect(register.split('\n')[0]).toBe(
      'risk,description,likelihood,impact,score,treatment,owner,treating_controls,control_status',
    );
    expect(register).toMatch(/R-03,.*DATA-02: failing/);
    expect(files.get('isms/risk-history.csv')).toMatch(/,dana,R-01,added,/);
    expect(files.get('isms/control-risks.csv')).toMatch(/\nDATA-02,[^\n]*,R-03[^\n]*,failing/);
    expect(files.get('isms/soa-approval.csv')).toMatch(
      /\n2026\.1,Alex Morgan,[^,]+,[0-9a-f]{64},[0-9a-f]{64},no,no,,/,
    );
    expect(files.get('isms/audit-programme.csv')).toMatch(/\nIA-2026-1,2026,[^\n]*,done,/);
    expect(files.get('isms/working-papers/IA-2026-1.md')).toContain('| IAM-04 |');
    expect(files.get('isms/nonconformities.csv')).toMatch(
      /NC-[0-9A-F]{8},open,no,internal-audit,IAM-04,IA-2026-1,late leaver/,
    );
    expect(files.get('isms/context.yaml')).toContain('OBJ-01');
    // the request list points the clauses the records answer at them
    const requests = parse(files.get('request-list.csv')!, { columns: true }) as Record<string, string>[];
    expect(requests.find((r) => r.requirement === '10.2')?.archive_files).toContain(
      'isms/nonconformities.csv',
    );
    expect(requests.find((r) => r.requirement === '9.2.1')?.records).toContain(
      'ISMS record: isms/audit-programme.csv',
    );
    const verified = await runCli(['verify', out]);
    expect(verified.out).toContain('intact');
  });
});
