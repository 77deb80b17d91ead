import { describe, expect, it } from 'vitest';
import { CatalogError, DEFAULT_CONTROLS_PATH, loadControls } from '../../controls/catalog.ts';
import { loadFrameworks } from '../../controls/frameworks.ts';
import { uncoveredRequirements } from '../../core/requirements.ts';
import { knownChecks, tempFolder } from '../support/catalog.ts';

const AWS_IDS = [
  'IAM-01',
  'IAM-02',
  'IAM-03',
  'IAM-04',
  'IAM-05',
  'DATA-01',
  'DATA-02',
  'DATA-03',
  'DATA-04',
  'LOG-01',
  'LOG-02',
  'LOG-03',
  'CFG-01',
  'KEY-01',
];

describe('built-in catalog', () => {
  it('loads at least 70 controls, keeping the AWS control ids', async () => {
    const controls = await loadControls(DEFAULT_CONTROLS_PATH, knownChecks());
    expect(controls.length).toBeGreaterThanOrEqual(70);
    expect(controls.map((c) => c.id)).toEqual(expect.arrayContaining(AWS_IDS));
  });

  it('covers every SOC 2 criterion, every ISO clause and every Annex A control with at least one control', async () => {
    const frameworks = await loadFrameworks();
    const controls = await loadControls(DEFAULT_CONTROLS_PATH, knownChecks());
    expect(uncoveredRequirements(frameworks.soc2, controls).map((r) => r.id)).toEqual([]);
    expect(uncoveredRequirements(frameworks.iso27001, controls).map((r) => r.id)).toEqual([]);
  });

  it('gives every manual or hybrid control a manual-evidence spec, and owners to every control', async () => {
    const controls = await loadControls(DEFAULT_CONTROLS_PATH, knownChecks());
    const manual = controls.filter((c) => c.type !== 'automated');
    expect(manual.length).toBeGreaterThan(40);
    for (const c of manual) expect(c.manualEvidence?.everyDays, c.id).toBeGreaterThan(0);
    for (const c of controls) expect(c.owner, c.id).toMatch(/^[a-z-]+$/);
  });
});

const catalog = async (files: Record<string, string>) => tempFolder(files, 'proofline-catalog-');
/** One link in the catalog's form; `by` defaults to the control's manual evidence. */
const link = (id: string, by = 'manual') =>
  `{ id: "${id}", by: [${by}], why: "A rationale long enough to read as one." }`;
const ctl = (id: string, extra = '') =>
  `  - id: ${id}\n    title: T\n    objective: O\n    owner: security-lead\n    type: manual\n    manualEvidence: { description: D, everyDays: 30 }\n    soc2: [${link('CC1.1')}]\n${extra}`;
const automated = (id: string, checks: string, soc2: string) =>
  `  - id: ${id}\n    title: T\n    objective: O\n    owner: platform\n    type: automated\n    checks: [${checks}]\n    soc2: [${soc2}]\n`;
const errorOf = async (dir: string) =>
  (await loadControls(dir, knownChecks()).catch((e: Error) => e)) as Error;

describe('catalog validation', () => {
  it('rejects a duplicate control id across files, naming the file and control', async () => {
    const dir = await catalog({
      'a.yaml': `controls:\n${ctl('GOV-01')}`,
      'b.yaml': `controls:\n${ctl('GOV-01')}`,
    });
    await expect(loadControls(dir, knownChecks())).rejects.toThrow(
      `${dir}/b.yaml: control GOV-01: id: duplicate control id`,
    );
  });

  it('rejects a mapping to an unknown SOC 2 criterion or ISO requirement, naming file, control and field', async () => {
    const dir = await catalog({
      'a.yaml': `controls:\n${ctl('GOV-01').replace(`soc2: [${link('CC1.1')}]`, `soc2: [${link('CC1.1')}, ${link('CC9.9')}]\n    iso27001: [${link('A.5.38')}, ${link('6.1')}]`)}`,
    });
    const error = await errorOf(dir);
    expect(error).toBeInstanceOf(CatalogError);
    expect(error.message).toContain(`${dir}/a.yaml: control GOV-01: soc2: unknown SOC 2 criterion "CC9.9"`);
    expect(error.message).toContain(
      `${dir}/a.yaml: control GOV-01: iso27001: unknown ISO 27001 requirement "A.5.38"`,
    );
    expect(error.message).toContain('iso27001: unknown ISO 27001 requirement "6.1"');
  });

  it('rejects an unknown check id', async () => {
    const dir = await catalog({
      'a.yaml': `controls:\n${automated('OPS-01', 'aws.s3.nope', link('CC7.1', 'aws.s3.nope'))}`,
    });
    await expect(loadControls(dir, knownChecks())).rejects.toThrow(
      `${dir}/a.yaml: control OPS-01: checks: unknown check id "aws.s3.nope"`,
    );
  });

  it('rejects a manual control without a manual-evidence spec, and a control mapped to nothing', async () => {
    const dir = await catalog({
      'a.yaml': 'controls:\n  - id: HR-01\n    title: T\n    objective: O\n    owner: hr\n    type: manual\n',
    });
    const error = await errorOf(dir);
    expect(error.message).toContain(
      'control HR-01: manualEvidence: a manual control needs a manual-evidence spec',
    );
    expect(error.message).toContain('control HR-01: soc2: a control must map to at least one requirement');
  });

  it('rejects a requirement listed twice and reports every error at once', async () => {
    const dir = await catalog({
      'a.yaml': `controls:\n${ctl('GOV-01').replace(`soc2: [${link('CC1.1')}]`, `soc2: [${link('CC1.1')}, ${link('CC1.1')}]`)}${ctl('GOV-02').replace('everyDays: 30', 'everyDays: 0')}`,
    });
    const error = await errorOf(dir);
    expect(error.message).toContain('control GOV-01: soc2: "CC1.1" is listed twice');
    expect(error.message).toContain('control GOV-02: manualEvidence.everyDays:');
  });
});

describe('catalog links: every mapping names its evidence and a rationale', () => {
  it('loads a link as the requirement, the checks or manual evidence behind it, and the rationale', async () => {
    const dir = await catalog({
      'a.yaml': `controls:\n${automated('OPS-01', 'aws.s3.versioning', link('A1.2', 'aws.s3.versioning'))}`,
    });
    const [control] = await loadControls(dir, knownChecks());
    expect(control?.soc2).toEqual(['A1.2']);
    expect(control?.links).toEqual([
      {
        framework: 'soc2',
        requirement: 'A1.2',
        by: ['aws.s3.versioning'],
        rationale: 'A rationale long enough to read as one.',
      },
    ]);
  });

  it('rejects a plain requirement id without evidence or rationale, naming file, control and field', async () => {
    const dir = await catalog({ 'a.yaml': `controls:\n${ctl('GOV-01').replace(link('CC1.1'), 'CC1.1')}` });
    const error = await errorOf(dir);
    expect(error.message).toContain(
      `${dir}/a.yaml: control GOV-01: soc2: #1: expected a link { id, by, why }`,
    );
  });

  it('rejects a link without a rationale or without evidence, naming the requirement', async () => {
    const dir = await catalog({
      'a.yaml': `controls:\n${ctl('GOV-01').replace(link('CC1.1'), '{ id: CC1.1, by: [manual], why: "short" }, { id: CC1.2, why: "A rationale long enough to read as one." }')}`,
    });
    const error = await errorOf(dir);
    expect(error.message).toContain(
      `${dir}/a.yaml: control GOV-01: soc2: CC1.1: why: give a one-line rationale`,
    );
    expect(error.message).toContain('control GOV-01: soc2: CC1.2: by:');
  });

  it("rejects evidence that is not one of the control's checks, or manual evidence the control lacks", async () => {
    const dir = await catalog({
      'a.yaml': `controls:\n${automated('OPS-01', 'aws.s3.versioning', `${link('A1.2', 'aws.s3.versioning, aws.s3.tls-only')}, ${link('A1.3')}`)}`,
    });
    const error = await errorOf(dir);
    expect(error.message).toContain(
      'control OPS-01: soc2: A1.2 is evidenced by "aws.s3.tls-only", which is not one of its checks',
    );
    expect(error.message).toContain(
      'control OPS-01: soc2: A1.3 is evidenced by "manual", but the control has no manualEvidence',
    );
  });

  it('rejects a check of the control that evidences none of its links', async () => {
    const dir = await catalog({
      'a.yaml': `controls:\n${automated('OPS-01', 'aws.s3.versioning, aws.s3.tls-only', link('A1.2', 'aws.s3.versioning'))}`,
    });
    const error = await errorOf(dir);
    expect(error.message).toContain(
      `${dir}/a.yaml: control OPS-01: checks: "aws.s3.tls-only" evidences none of its soc2/iso27001 links`,
    );
  });
});
