import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_GOVERNANCE_DIR } from '../../controls/governance.ts';
import { FILES, type Manifest } from '../../core/archive/types.ts';
import { EXIT } from '../../core/errors.ts';
import { LocalStore } from '../../core/stores/local-store.ts';
import { unzipToMemory } from '../support/archive.ts';
import { runCli, tempStore } from '../support/cli.ts';

const ok = <T>(value: T) => ({ ok: true, value });
/** The demo's GitHub organization as collected: two outside collaborators who can push, one read-only. */
const orgMembers = {
  org: 'acme',
  members: [{ login: 'alice', id: 1, role: 'admin' }],
  withoutTwoFactor: ok([]),
  outsideCollaborators: ok(['contractor-erin', 'agency-frank', 'auditor-gail']),
  pendingInvitations: ok([]),
  repositories: [
    {
      name: 'api',
      archived: false,
      outsideCollaborators: ok([
        { login: 'contractor-erin', permission: 'write' },
        { login: 'auditor-gail', permission: 'read' },
      ]),
    },
    {
      name: 'web',
      archived: false,
      outsideCollaborators: ok([{ login: 'agency-frank', permission: 'admin' }]),
    },
  ],
};

let store: string;
const today = new Date().toISOString().slice(0, 10);
beforeAll(async () => {
  store = await tempStore();
  const s = await LocalStore.open(store);
  try {
    await s.putArtifact({
      collector: 'github.org.members',
      scope: { source: 'github', id: 'acme' },
      collectedAt: new Date().toISOString(),
      schemaVersion: 1,
      status: 'ok',
      snapshot: orgMembers,
    });
  } finally {
    await s.close();
  }
});

describe('proofline governance: contradictions and the request list', () => {
  it('flags the A.8.30 exclusion against the outside collaborators who can push, in JSON and in text', async () => {
    const { code, out, err } = await runCli(['--store', store, 'governance', '--json']);
    expect(code, err).toBe(EXIT.ok);
    const report = JSON.parse(out);
    expect(
      report.contradictions.map((c: { statement: string; detail: string }) => `${c.statement}: ${c.detail}`),
    ).toEqual([
      'exclusion A.8.30: outside collaborator contractor-erin (write)',
      'exclusion A.8.30: outside collaborator agency-frank (admin)',
    ]);
    const text = (await runCli(['--store', store, 'governance'])).out;
    expect(text).toContain('Statements contradicted by the evidence (SoA exclusions, scope statements): 2');
    expect(text).toMatch(
      /exclusion A\.8\.30: acme\/web: outside collaborator agency-frank \(admin\)\s+\(evidence\//,
    );
    expect(text).toMatch(/^Request list: \d+ of \d+ requirements outstanding/m);
    expect(text).toMatch(/^ {2}ISO A\.8\.4 .*GH-02: failing/m);
  });

  it('reports no contradiction when the SoA no longer excludes A.8.30 (the evidence agrees)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'proofline-gov-'));
    await cp(DEFAULT_GOVERNANCE_DIR, dir, { recursive: true });
    await writeFile(join(dir, 'applicability.yaml'), 'exclusions: []\n');
    const { out } = await runCli(['--store', store, '--governance', dir, 'governance', '--json']);
    expect(JSON.parse(out).contradictions).toEqual([]);
  });

  it('names a bad scope statement in applicability.yaml in one line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'proofline-gov-'));
    await cp(DEFAULT_GOVERNANCE_DIR, dir, { recursive: true });
    await writeFile(
      join(dir, 'applicability.yaml'),
      'statements:\n  - id: S-01\n    statement: Data stays home.\n    dataRegions: [moon-1]\n',
    );
    const { code, err } = await runCli(['--store', store, '--governance', dir, 'governance']);
    expect(code).toBe(1);
    expect(err).toBe(
      `proofline: ${join(dir, 'applicability.yaml')}: applicability: statements.0.dataRegions.0: must be an AWS region like eu-west-1`,
    );
  });
});

describe('proofline system-description', () => {
  it('prints the skeleton with the GitHub organization and only the subservice organisations in the evidence', async () => {
    const { code, out } = await runCli(['--store', store, 'system-description']);
    expect(code).toBe(EXIT.ok);
    expect(out).toContain(
      '0 AWS accounts in 0 regions; 1 GitHub organizations; 0 identity-provider tenants.',
    );
    expect(out).toContain('| github | acme | global |');
    expect(out).toContain('| GitHub | CSOC-GH-1 |');
    expect(out).not.toContain('Amazon Web Services');
    expect(out).toContain('| CUEC-1 |');
  });
});

describe('archive: request list, system description and contradictions', () => {
  it('puts them in a SOC 2 archive, listed in the manifest, and the archive verifies', async () => {
    const zip = join(await mkdtemp(join(tmpdir(), 'proofline-isms-')), 'soc2.zip');
    // Evaluated (so the period has findings), and the store's signing key made by its first digest.
    expect((await runCli(['--store', store, 'evaluate'])).code).toBe(EXIT.ok);
    expect((await runCli(['--store', store, 'digest'])).code).toBe(EXIT.ok);
    const args = ['--store', store, 'export', '--framework', 'soc2', '--from', today, '--to', today];
    const exported = await runCli([...args, '--out', zip]);
    expect(exported.code, exported.err).toBe(EXIT.ok);
    expect(exported.out).toContain(
      'contradictions.csv: 2 facts contradict the SoA or scope statements (exclusion A.8.30)',
    );
    expect(exported.out).toMatch(/^request-list\.csv: \d+ of 61 requirements outstanding/m);
    const fingerprint = /fingerprint ([0-9a-f]{64})/.exec(exported.out)![1]!;
    const verified = await runCli(['verify', zip, '--fingerprint', fingerprint]);
    expect(verified.code, verified.out).toBe(EXIT.ok);

    const files = new Map(
      (await unzipToMemory(await readFile(zip))).map((f) => [f.name, f.bytes.toString('utf8')]),
    );
    const manifest = JSON.parse(files.get(FILES.manifest)!) as Manifest;
    const listed = manifest.files.map((f) => f.path);
    for (const name of [
      FILES.requestList,
      FILES.requestListMd,
      FILES.systemDescription,
      FILES.contradictions,
      FILES.contradictionsMd,
    ]) {
      expect(listed, name).toContain(name);
      expect(files.get(FILES.readme)).toContain(name);
    }
    const contradictions = parse(files.get(FILES.contradictions)!, { columns: true }) as Record<
      string,
      string
    >[];
    expect(contradictions.map((c) => c.detail)).toEqual([
      'outside collaborator contractor-erin (write)',
      'outside collaborator agency-frank (admin)',
    ]);
    expect(listed).toContain(contradictions[0]!.evidence_file);

    const requests = parse(files.get(FILES.requestList)!, { columns: true }) as Record<string, string>[];
    expect(requests).toHaveLength(61);
    const cc61 = requests.find((r) => r.requirement === 'CC6.1')!;
    expect(cc61.outstanding).toContain('GH-02: failing');
    expect(cc61.archive_files).toContain(
      'evidence/source=github/collector=github.org.members/scope=acme-global',
    );
    expect(files.get(FILES.requestListMd)).toMatch(/^61 requirements; \d+ outstanding/m);
    expect(files.get(FILES.systemDescription)).toContain('| github | acme | global |');
  });
});
