import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  COMPLIANCE_FINDING_CLASS,
  OCSF_VERSION,
  type OcsfEvent,
} from '../../../core/findings-export/ocsf.ts';
import { runCli, storeWithPublicBucket } from '../../support/cli.ts';
import { ocsfClassUid, ocsfProblems } from '../../support/ocsf.ts';

/** `proofline findings --format ocsf` on the evaluated public-bucket store. */
async function events(): Promise<OcsfEvent[]> {
  const store = await storeWithPublicBucket();
  expect((await runCli(['--store', store, 'evaluate'])).code).toBe(0);
  const out = join(await mkdtemp(join(tmpdir(), 'proofline-ocsf-')), 'findings.json');
  expect((await runCli(['--store', store, 'findings', '--format', 'ocsf', '--out', out])).code).toBe(0);
  return JSON.parse(await readFile(out, 'utf8')) as OcsfEvent[];
}

describe('proofline findings --format ocsf', () => {
  it('writes OCSF 1.1.0 Compliance Finding events that the schema source accepts: every required attribute, type and enum id', async () => {
    const all = await events();
    expect(all.length).toBeGreaterThan(2);
    expect(COMPLIANCE_FINDING_CLASS).toBe(ocsfClassUid('compliance_finding'));
    for (const event of all) {
      expect(ocsfProblems(event, 'compliance_finding')).toEqual([]);
      expect(event).toMatchObject({
        class_uid: COMPLIANCE_FINDING_CLASS,
        type_uid: COMPLIANCE_FINDING_CLASS * 100 + (event.activity_id as number),
        metadata: { version: OCSF_VERSION },
      });
    }
  });

  it('carries the verdict, severity, control, requirements, fix and evidence of each finding', async () => {
    const all = await events();
    const failing = all.find(
      (e) =>
        (e.compliance as { control: string }).control === 'DATA-02' &&
        (e.resource as { uid: string }).uid === 'arn:aws:s3:::public-site' &&
        (e.unmapped as { check: string }).check === 'aws.s3.public-access-block',
    )!;
    expect(failing).toMatchObject({
      status_id: 1,
      severity_id: expect.any(Number),
      message: expect.stringContaining('public-site'),
      compliance: {
        status_id: 3,
        status: 'Fail',
        standards: ['SOC 2', 'ISO/IEC 27001:2022'],
        requirements: expect.arrayContaining([
          expect.stringMatching(/^SOC 2 /),
          expect.stringMatching(/^ISO 27001:2022 /),
        ]),
      },
      remediation: { desc: expect.any(String) },
      unmapped: { evidence: expect.stringMatching(/^evidence\/source=aws\/collector=aws\.s3\.buckets\//) },
    });
    expect(failing.severity_id).toBeGreaterThanOrEqual(2);
    const passing = all.find(
      (e) =>
        (e.resource as { uid: string }).uid === 'arn:aws:s3:::private' &&
        (e.unmapped as { check: string }).check === 'aws.s3.public-access-block',
    )!;
    expect(passing).toMatchObject({ severity_id: 1, compliance: { status_id: 1, status: 'Pass' } });
    expect(passing.status_id).toBeUndefined();
  });

  it('the schema check itself fails an event missing a required attribute, with a wrong type or an enum id not listed', async () => {
    const [event] = await events();
    const { compliance: _, ...withoutCompliance } = event!;
    expect(ocsfProblems(withoutCompliance, 'compliance_finding')).toEqual(['compliance: required, missing']);
    expect(ocsfProblems({ ...event, severity_id: 7 }, 'compliance_finding')).toEqual([
      'severity_id: 7 is not one of 0, 1, 2, 3, 4, 5, 6, 99',
    ]);
    expect(ocsfProblems({ ...event, time: '2026-01-01' }, 'compliance_finding')).toEqual([
      'time: not an integer',
    ]);
    const info = event!.finding_info as Record<string, unknown>;
    expect(
      ocsfProblems({ ...event, finding_info: { ...info, uid: undefined } }, 'compliance_finding'),
    ).toContain('finding_info.uid: required, missing');
    expect(ocsfProblems({ ...event, resource: {} }, 'compliance_finding')).toEqual([
      'resource: needs at least one of name, uid',
    ]);
    expect(ocsfProblems({ ...event, colour: 'red' }, 'compliance_finding')).toEqual([
      'colour: not an attribute of this class or object',
    ]);
  });
});
