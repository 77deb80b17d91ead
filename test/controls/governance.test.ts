import { cp, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONTROLS_PATH, loadControls } from '../../controls/catalog.ts';
import { loadFrameworks } from '../../controls/frameworks.ts';
import { DEFAULT_GOVERNANCE_DIR, GovernanceError, loadGovernance } from '../../controls/governance.ts';
import type { Control } from '../../core/model.ts';
import type { Frameworks } from '../../core/requirements.ts';
import { knownChecks } from '../support/catalog.ts';

let controls: Control[];
let frameworks: Frameworks;
beforeAll(async () => {
  frameworks = await loadFrameworks();
  controls = await loadControls(DEFAULT_CONTROLS_PATH, knownChecks());
});

/** A copy of the shipped governance folder with one file replaced. */
async function governanceWith(name: string, content: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'proofline-gov-'));
  await cp(DEFAULT_GOVERNANCE_DIR, dir, { recursive: true });
  await writeFile(join(dir, name), content);
  return dir;
}

const load = (dir: string) => loadGovernance(dir, { controls, frameworks });
const failure = async (dir: string) => ((await load(dir).catch((e: Error) => e)) as Error).message;

describe('shipped governance examples', () => {
  it('load and validate: owners for every role, risks with treating controls, one justified exclusion', async () => {
    const g = await load(DEFAULT_GOVERNANCE_DIR);
    for (const c of controls) expect(g.owners[c.owner]?.length, c.owner).toBeGreaterThan(0);
    expect(g.risks.length).toBeGreaterThanOrEqual(10);
    expect(g.applicability.exclusions.map((e) => e.control)).toEqual(['A.8.30']);
    expect(g.files.map((f) => f.name)).toEqual(['owners.yaml', 'risks.yaml', 'applicability.yaml']);
    expect(g.files[0]!.sha256).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('governance validation', () => {
  it('rejects an exclusion without a justification, naming the file, the exclusion and the field', async () => {
    const dir = await governanceWith('applicability.yaml', 'exclusions:\n  - control: A.7.12\n');
    const message = await failure(dir);
    expect(message).toContain(
      `${join(dir, 'applicability.yaml')}: exclusion A.7.12: justification: a justification is required`,
    );
  });

  it('rejects an empty justification and an exclusion of something that is not an Annex A control', async () => {
    const dir = await governanceWith(
      'applicability.yaml',
      'exclusions:\n  - { control: A.7.12, justification: "  " }\n  - { control: A.9.1, justification: why }\n',
    );
    const message = await failure(dir);
    expect(message).toContain('exclusion A.7.12: justification: a justification must not be empty');
    expect(message).toContain('exclusion A.9.1: control: must be an Annex A control id');
  });

  it('rejects a control both excluded and included', async () => {
    const dir = await governanceWith(
      'applicability.yaml',
      'exclusions:\n  - { control: A.7.12, justification: no offices }\ninclusions:\n  - { control: A.7.12, justification: offices }\n',
    );
    expect(await failure(dir)).toContain('inclusion A.7.12: control: also listed as an exclusion');
  });

  it('rejects a risk naming an unknown control or an owner role not in owners.yaml', async () => {
    const dir = await governanceWith(
      'risks.yaml',
      'risks:\n  - { id: R-01, description: d, likelihood: 3, impact: 4, treatment: mitigate, owner: nobody, controls: [IAM-01, XYZ-99] }\n',
    );
    const message = await failure(dir);
    expect(message).toContain(`${join(dir, 'risks.yaml')}: risk R-01: controls: unknown control "XYZ-99"`);
    expect(message).toContain('risk R-01: owner: role "nobody" is not in owners.yaml');
  });

  it('rejects bad scores, an unknown treatment and duplicate risk ids', async () => {
    const dir = await governanceWith(
      'risks.yaml',
      'risks:\n  - { id: R-01, description: d, likelihood: 6, impact: 0, treatment: ignore, owner: hr }\n  - { id: R-02, description: d, likelihood: 1, impact: 1, treatment: accept, owner: hr }\n  - { id: R-02, description: e, likelihood: 2, impact: 2, treatment: avoid, owner: hr }\n',
    );
    const message = await failure(dir);
    expect(message).toContain('risk R-01: likelihood: must be 1 to 5');
    expect(message).toContain('risk R-01: impact: must be 1 to 5');
    expect(message).toContain('risk R-01: treatment:');
    expect(message).toContain('risk R-02: id: duplicate risk id');
  });

  it('rejects an owner without a valid e-mail', async () => {
    const dir = await governanceWith(
      'owners.yaml',
      'owners:\n  hr:\n    - { name: Olivia, email: not-an-address }\n',
    );
    expect(await failure(dir)).toContain(
      `${join(dir, 'owners.yaml')}: owners: owners.hr.0.email: must be an e-mail address`,
    );
  });

  it('names a missing file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'proofline-gov-'));
    const error = await load(dir).catch((e: Error) => e);
    expect(error).toBeInstanceOf(GovernanceError);
    expect((error as Error).message).toMatch(/cannot read .*owners\.yaml/);
  });
});
