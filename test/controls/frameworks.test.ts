import { describe, expect, it } from 'vitest';
import { CatalogError } from '../../controls/catalog.ts';
import { loadFramework, loadFrameworks } from '../../controls/frameworks.ts';
import { ids, tempFolder } from '../support/catalog.ts';

const SOC2_IDS = [
  ...ids('CC1.', 1, 5),
  ...ids('CC2.', 1, 3),
  ...ids('CC3.', 1, 4),
  ...ids('CC4.', 1, 2),
  ...ids('CC5.', 1, 3),
  ...ids('CC6.', 1, 8),
  ...ids('CC7.', 1, 5),
  ...ids('CC8.', 1, 1),
  ...ids('CC9.', 1, 2),
  ...ids('A1.', 1, 3),
  ...ids('C1.', 1, 2),
  ...ids('PI1.', 1, 5),
  ...ids('P1.', 1, 1),
  ...ids('P2.', 1, 1),
  ...ids('P3.', 1, 2),
  ...ids('P4.', 1, 3),
  ...ids('P5.', 1, 2),
  ...ids('P6.', 1, 7),
  ...ids('P7.', 1, 1),
  ...ids('P8.', 1, 1),
];

/** ISO/IEC 27001:2022 clauses 4–10 at the level the standard numbers its requirements. */
const ISO_CLAUSES = [
  ...ids('4.', 1, 4),
  ...ids('5.', 1, 3),
  ...ids('6.1.', 1, 3),
  '6.2',
  '6.3',
  ...ids('7.', 1, 4),
  ...ids('7.5.', 1, 3),
  ...ids('8.', 1, 3),
  '9.1',
  ...ids('9.2.', 1, 2),
  ...ids('9.3.', 1, 3),
  ...ids('10.', 1, 2),
];
const ANNEX_A = {
  organizational: ids('A.5.', 1, 37),
  people: ids('A.6.', 1, 8),
  physical: ids('A.7.', 1, 14),
  technological: ids('A.8.', 1, 34),
};

describe('built-in frameworks', () => {
  it('SOC 2 holds exactly the 61 Trust Services Criteria, each with its category and a title', async () => {
    const { soc2 } = await loadFrameworks();
    expect(SOC2_IDS).toHaveLength(61);
    expect(soc2.requirements.map((r) => r.id)).toEqual(SOC2_IDS);
    const category = (id: string) => soc2.requirements.find((r) => r.id === id)!.category;
    expect([
      category('CC6.1'),
      category('A1.2'),
      category('C1.1'),
      category('PI1.3'),
      category('P6.7'),
    ]).toEqual(['security', 'availability', 'confidentiality', 'processing-integrity', 'privacy']);
    for (const r of soc2.requirements) expect(r.title.length).toBeGreaterThan(10);
  });

  it('ISO 27001:2022 holds the clauses 4.1–10.2 (6.3 included) and all 93 Annex A controls with their theme', async () => {
    const { iso27001 } = await loadFrameworks();
    const clauses = iso27001.requirements.filter((r) => r.kind === 'clause').map((r) => r.id);
    expect(clauses).toEqual(ISO_CLAUSES);
    expect(clauses).toContain('6.3');
    const annex = iso27001.requirements.filter((r) => r.kind === 'control');
    expect(annex).toHaveLength(93);
    for (const [theme, expected] of Object.entries(ANNEX_A))
      expect(annex.filter((r) => r.theme === theme).map((r) => r.id)).toEqual(expected);
    expect(annex.map((r) => r.id)).toContain('A.8.28');
  });
});

describe('framework file validation', () => {
  const file = async (body: string) => {
    const dir = await tempFolder({ 'soc2.yaml': body });
    return `${dir}/soc2.yaml`;
  };

  it('loads a valid file', async () => {
    const path = await file(
      'framework: soc2\nname: x\nversion: y\nrequirements:\n  - { id: CC1.1, kind: criterion, category: security, title: A title }\n',
    );
    expect((await loadFramework(path)).requirements.map((r) => r.id)).toEqual(['CC1.1']);
  });

  it('rejects a duplicate requirement id, naming the file, the requirement and the field', async () => {
    const path = await file(
      'framework: soc2\nname: x\nversion: y\nrequirements:\n  - { id: CC1.1, kind: criterion, category: security, title: A }\n  - { id: CC1.1, kind: criterion, category: security, title: B }\n',
    );
    await expect(loadFramework(path)).rejects.toThrow(
      `${path}: requirement CC1.1: id: duplicate requirement id`,
    );
  });

  it('rejects a category that does not match the id, and a missing title', async () => {
    const path = await file(
      'framework: soc2\nname: x\nversion: y\nrequirements:\n  - { id: A1.1, kind: criterion, category: security, title: A }\n  - { id: CC1.2, kind: criterion, category: security }\n',
    );
    const error = await loadFramework(path).catch((e: Error) => e);
    expect(error).toBeInstanceOf(CatalogError);
    expect((error as Error).message).toContain(
      `${path}: requirement A1.1: category: A1.1 belongs to category availability`,
    );
    expect((error as Error).message).toContain(`${path}: requirement CC1.2: title:`);
  });

  it('rejects an Annex A control with the wrong theme or a malformed clause id', async () => {
    const dir = await tempFolder({
      'iso27001.yaml':
        "framework: iso27001\nname: x\nversion: '2022'\nrequirements:\n  - { id: A.7.1, kind: control, theme: people, title: A }\n  - { id: '11.1', kind: clause, title: B }\n",
    });
    const error = (await loadFramework(`${dir}/iso27001.yaml`).catch((e: Error) => e)) as Error;
    expect(error.message).toContain('requirement A.7.1: theme: A.7.1 belongs to theme physical, not people');
    expect(error.message).toContain('requirement 11.1: id: a clause id looks like');
  });

  it('rejects a file declaring another framework than its name says', async () => {
    const path = await file(
      'framework: iso27001\nname: x\nversion: y\nrequirements:\n  - { id: A.5.1, kind: control, theme: organizational, title: A }\n',
    );
    await expect(loadFramework(path, 'soc2')).rejects.toThrow('framework: expected "soc2", found "iso27001"');
  });
});
