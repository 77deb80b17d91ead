import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import type { CliContext } from '../cli/context.ts';
import { exportArchive } from '../cli/export.ts';
import { loadFrameworks } from '../controls/frameworks.ts';
import { DEFAULT_GOVERNANCE_DIR, loadGovernance } from '../controls/governance.ts';
import { DAY_MS } from '../core/collector.ts';
import { auditRecord } from '../core/isms/audit.ts';
import { type AuditProgramme, loadIsmsFiles, PROGRAMME_FILE } from '../core/isms/files.ts';
import { loadNcRecords, ncOpen, ncStates } from '../core/isms/nc.ts';
import { appendIsmsRecord } from '../core/isms/records.ts';
import { RISKS_FILE, recordVersions } from '../core/isms/register.ts';
import { soaContentHash, soaDecisions } from '../core/isms/soa-approval.ts';

/**
 * The demo's governance folder: the shipped examples, with the audit programme dated on the demo's own clock
 * (the first audit due in a month and done today, the others later this cycle), so the demo shows the same on
 * any day. The shipped audit-programme.yaml stays an example whose dates are never compared with the clock.
 */
export async function demoGovernance(storeDir: string, now: Date): Promise<{ dir: string; year: number }> {
  const dir = join(storeDir, 'governance');
  await rm(dir, { recursive: true, force: true });
  await cp(DEFAULT_GOVERNANCE_DIR, dir, { recursive: true });
  const path = join(dir, PROGRAMME_FILE);
  const text = await readFile(path, 'utf8');
  const shipped = parse(text) as AuditProgramme;
  const year = now.getUTCFullYear();
  const audits = shipped.audits.map((audit, i) => {
    const due = dayIn(now, 30 + 120 * i);
    return { ...audit, id: `IA-${year}-${i + 1}`, year, due };
  });
  const comments = text.slice(0, text.indexOf('audits:'));
  await writeFile(path, `${comments}${stringify({ audits })}`);
  return { dir, year };
}

/**
 * The ISMS records an ISO auditor asks for, made on the demo store: the register versions, an approved SoA,
 * the first internal audit of the programme (one nonconformity), and a nonconformity raised from a failing
 * control with its root cause and corrective action. Then an ISO 27001 archive that carries them.
 */
export async function seedIsmsRecords(ctx: CliContext, storeDir: string, out: (text: string) => void) {
  const now = new Date();
  const at = now.toISOString();
  const { dir, year } = await demoGovernance(storeDir, now);
  const frameworks = await loadFrameworks();
  const governance = await loadGovernance(dir, { controls: ctx.controls, frameworks });
  const files = await loadIsmsFiles(dir, ctx.controls);
  const risks = governance.files.find((f) => f.name === RISKS_FILE)!;
  const versions = [{ ...risks, data: { risks: governance.risks } }, files.context!, files.programme!];
  await recordVersions(ctx.store, versions, 'Dana Reyes', now);
  const rows = soaDecisions(frameworks.iso27001, ctx.controls, governance);
  await appendIsmsRecord(
    ctx.store,
    'soa-approval',
    (approvedAt) => ({
      kind: 'soa-approval',
      version: `${year}.1`,
      approver: 'Alex Morgan',
      sha256: soaContentHash(rows),
      approvedAt,
      recordedBy: 'Dana Reyes',
    }),
    now,
  );
  const audit = auditRecord(
    {
      audit: `IA-${year}-1`,
      date: at.slice(0, 10),
      auditor: 'Dana Reyes',
      summary: 'Access management works for employees; leavers in the identity provider keep cloud access.',
      finding: ['GH-02: outside collaborators are reviewed, but the review is not minuted'],
      nonconformity: ['IDP-03: a leaver deactivated in Okta still has an IAM user with console access'],
    },
    files.programme?.data,
    ctx.controls,
    'Dana Reyes',
    at,
  );
  const finding = audit.findings.find((f) => f.nonconformity)!;
  const fromAudit = ncOpen(
    {
      source: 'internal-audit',
      audit: audit.audit,
      ...(finding.control ? { control: finding.control } : {}),
      description: finding.text,
      owner: 'cloud-security',
      due: dayIn(now, 30),
    },
    ctx.controls,
    'Dana Reyes',
    at,
  );
  const findings = audit.findings.map((f) => (f.nonconformity ? { ...f, nc: fromAudit.id } : f));
  await appendIsmsRecord(ctx.store, 'audit', (recordedAt) => ({ ...audit, findings, recordedAt }), now);
  const fromControl = ncOpen(
    {
      source: 'failing-control',
      control: 'DATA-02',
      description: 'S3 bucket acme-legacy-public-assets allows public access; DATA-02 fails',
      rootCause:
        'The bucket was created by hand outside the infrastructure code, without the account-level public access block',
      action:
        'Enable the account-level S3 public access block and move the bucket into the infrastructure code',
      owner: 'platform',
      due: dayIn(now, 14),
    },
    ctx.controls,
    'Priya Natarajan',
    at,
  );
  for (const nc of [fromAudit, fromControl])
    await appendIsmsRecord(ctx.store, 'nc', (recordedAt) => ({ ...nc, recordedAt }), now);
  const ncs = ncStates(await loadNcRecords(ctx.store), new Date(now.getTime() + 1000));
  out('\n▶ ISMS records (ISO 27001 4–10), each an append-only evidence record with who and when:');
  out(`  risk register (${governance.risks.length} risks), context and audit programme recorded as versions`);
  out(
    `  SoA version ${year}.1 approved by Alex Morgan; internal audit ${audit.audit} recorded with ${audit.findings.length} findings`,
  );
  for (const n of ncs)
    out(`  ${n.id} ${n.source} ${n.control ?? ''}: ${n.description} (owner ${n.owner}, due ${n.due})`);
  out(
    `  try: npx proofline --store ${storeDir} --governance ${dir} management-review --period ${at.slice(0, 4)}-01-01..${at.slice(0, 10)}`,
  );
  await mkdir(join(storeDir, 'exports'), { recursive: true });
  const path = join(storeDir, 'exports', `iso27001-${at.slice(0, 10)}.zip`);
  await rm(path, { force: true });
  const result = await exportArchive(ctx, {
    framework: 'iso27001',
    from: at.slice(0, 10),
    to: at.slice(0, 10),
    out: path,
    sample: 2,
    seed: 'demo',
    governance: dir,
  });
  out(
    `  ISO 27001 archive with isms/ (risk register, SoA approval, audit programme, working papers, NC register): ${result.path}`,
  );
}

const dayIn = (now: Date, days: number) => new Date(now.getTime() + days * DAY_MS).toISOString().slice(0, 10);
