import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeEvidenceView } from '../../core/evidence-view.ts';
import type { Artifact, Finding } from '../../core/model.ts';
import { LocalStore } from '../../core/stores/local-store.ts';
import {
  type SubserviceCatalog,
  systemDescription,
  systemDescriptionMarkdown,
} from '../../core/system-description.ts';
import { control } from '../support/catalog.ts';

const AT = '2026-11-27T12:00:00.000Z';
const put = async (
  store: LocalStore,
  a: { collector: string; scope: Artifact['scope']; snapshot: unknown },
  findings: Finding[],
) => {
  const { ref } = await store.putArtifact({
    ...a,
    collectedAt: AT,
    schemaVersion: 1,
    status: 'ok',
  } as Artifact);
  await store.putFindings(ref.key, findings);
};
const pass = (check: string, resource: string): Finding => ({
  check,
  resource,
  status: 'pass',
  reason: 'ok',
});

let store: LocalStore;
beforeAll(async () => {
  store = await LocalStore.open(join(await mkdtemp(join(tmpdir(), 'proofline-sysdesc-')), 'store'));
  for (const account of ['111122223333', '444455556666'])
    for (const region of ['us-east-1', 'eu-west-1'])
      await put(
        store,
        { collector: 'aws.rds', scope: { source: 'aws', id: account, region }, snapshot: {} },
        [pass('aws.rds.encrypted', `db-${region}-a`), pass('aws.rds.encrypted', `db-${region}-b`)],
      );
  await put(
    store,
    {
      collector: 'aws.ec2.instances',
      scope: { source: 'aws', id: '111122223333', region: 'us-east-1' },
      snapshot: {},
    },
    [
      pass('aws.ec2.imdsv2', 'i-1'),
      { check: 'aws.ec2.public', resource: 'i-1', status: 'fail', reason: 'public' },
      { check: 'aws.ec2.x', resource: 'none', status: 'not_applicable', reason: 'none' },
    ],
  );
  await put(
    store,
    { collector: 'github.repos', scope: { source: 'github', id: 'acme-corp' }, snapshot: {} },
    [pass('github.repo.x', 'acme-corp/api'), pass('github.repo.x', 'acme-corp/web')],
  );
  await put(
    store,
    { collector: 'okta.users', scope: { source: 'okta', id: 'acme.okta.com' }, snapshot: {} },
    [pass('okta.mfa', 'u1')],
  );
});
afterAll(async () => store?.close());

const catalog: SubserviceCatalog = {
  subservices: [
    {
      source: 'aws',
      name: 'Amazon Web Services',
      services: 'hosting',
      csocs: [{ id: 'CSOC-AWS-1', control: 'Data centres', reliedOnBy: ['PHY-06'] }],
    },
    { source: 'entra', name: 'Microsoft Entra ID', services: 'identity', csocs: [] },
    {
      source: 'okta',
      name: 'Okta',
      services: 'identity',
      csocs: [{ id: 'CSOC-IDP-1', control: 'MFA <enforced>', reliedOnBy: ['IDP-01'] }],
    },
  ],
  cuecs: [{ id: 'CUEC-1', control: 'Customers manage their users', reliedOnBy: ['ACS-02'] }],
};

describe('system description skeleton', () => {
  it('counts accounts, regions, organizations, tenants and resources per component from a seeded store', async () => {
    const d = await systemDescription({
      evidence: storeEvidenceView(store, await store.latestArtifacts()),
      controls: [control({ id: 'IDP-01', owner: 'it', type: 'automated' }), control({ id: 'PHY-06' })],
      statusOf: (id) => (id === 'IDP-01' ? 'passing' : 'manual_due'),
      owners: { it: [{ name: 'Tomás García', email: 't@example.com' }] },
      subservices: catalog,
    });
    expect(d.scopes).toEqual([
      { source: 'aws', id: '111122223333', regions: ['eu-west-1', 'us-east-1'] },
      { source: 'aws', id: '444455556666', regions: ['eu-west-1', 'us-east-1'] },
      { source: 'github', id: 'acme-corp', regions: [] },
      { source: 'okta', id: 'acme.okta.com', regions: [] },
    ]);
    expect(d.components).toEqual([
      { component: 'infrastructure', collector: 'aws.ec2.instances', resources: 1, scopes: 1 },
      { component: 'software', collector: 'github.repos', resources: 2, scopes: 1 },
      { component: 'people', collector: 'okta.users', resources: 1, scopes: 1 },
      { component: 'data', collector: 'aws.rds', resources: 8, scopes: 4 },
    ]);
    expect(d.people).toEqual([
      { role: 'it', people: [{ name: 'Tomás García', email: 't@example.com' }], controls: 1 },
    ]);
    expect(d.procedures).toEqual({
      total: 2,
      byType: { automated: 1, manual: 1 },
      byStatus: { passing: 1, manual_due: 1 },
    });
    // Entra is not in the evidence, so not a subservice organisation of this system.
    expect(d.subservices!.map((s) => s.name)).toEqual(['Amazon Web Services', 'Okta']);

    const md = systemDescriptionMarkdown(d, 'SOC 2');
    expect(md).toContain('2 AWS accounts in 2 regions; 1 GitHub organizations; 1 identity-provider tenants.');
    expect(md).toContain('| Okta | CSOC-IDP-1 | MFA \\<enforced\\> | IDP-01 |');
    expect(md).toContain('| CUEC-1 | Customers manage their users | ACS-02 |');
    expect(md).toContain('_To be written by management');
  });

  it('says so when no subservice catalog is given and nothing was collected', async () => {
    const d = await systemDescription({
      evidence: storeEvidenceView(store, []),
      controls: [],
      statusOf: () => 'no_evidence',
      owners: {},
    });
    const md = systemDescriptionMarkdown(d, 'SOC 2');
    expect(md).toContain('0 AWS accounts in 0 regions');
    expect(md).toContain('No collected evidence: nothing is in scope yet.');
    expect(md).toContain('No subservice catalog given.');
  });
});
