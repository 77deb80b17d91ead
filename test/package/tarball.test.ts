import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import packageJson from '../../package.json' with { type: 'json' };
import { TARBALL_BUDGET_BYTES } from '../../scripts/package-budget.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const PEERS = packageJson.peerDependencies;

/** Runs a command; its output is returned, a failure to start it fails the test. */
function sh(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, ...env } });
  if (r.error) throw new Error(`${command} could not run: ${r.error.message}`);
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

/** The tarball `.ci/run` packed once (PROOFLINE_TARBALL), or one packed now. */
async function tarball(): Promise<string> {
  if (process.env.PROOFLINE_TARBALL) return resolve(process.env.PROOFLINE_TARBALL);
  const out = await mkdtemp(join(tmpdir(), 'proofline-pack-'));
  const packed = sh('npm', ['pack', '--pack-destination', out], ROOT);
  expect(packed.status, packed.out).toBe(0);
  return join(out, readdirSync(out).find((f) => f.endsWith('.tgz'))!);
}

const CDK_APP = `import { App, Stack } from 'aws-cdk-lib';
import { Proofline } from 'proofline/cdk';

const app = new App({ outdir: 'cdk.out' });
const stack = new Stack(app, 'Compliance', { env: { account: '123456789012', region: 'eu-west-1' } });
const evidence = new Proofline(stack, 'Evidence', { deploy: { alertEmails: ['security@example.com'] } });
console.log(stack.resolve(evidence.storage.evidenceBucket.bucketName) ? 'synthesized' : 'no bucket');
app.synth();
`;

describe('the npm package, installed from its tarball into an empty folder', () => {
  let file: string;
  let app: string;
  const proofline = (...args: string[]) => sh('npx', ['--no-install', 'proofline', ...args], app);

  beforeAll(async () => {
    file = await tarball();
    app = await mkdtemp(join(tmpdir(), 'proofline-consumer-'));
    await writeFile(join(app, 'package.json'), '{ "name": "consumer", "private": true, "type": "module" }\n');
    // A CDK app has aws-cdk-lib and constructs already (the package's optional peer dependencies).
    const installed = sh(
      'npm',
      [
        'install',
        '--no-audit',
        '--no-fund',
        '--prefer-offline',
        file,
        `aws-cdk-lib@${PEERS['aws-cdk-lib']}`,
        `constructs@${PEERS.constructs}`,
      ],
      app,
    );
    expect(installed.status, installed.out).toBe(0);
  });

  it('holds the built faces, the catalog, the SBOM and the licence summary, and no tests or TypeScript sources', () => {
    const listing = sh('tar', ['-tzf', file], ROOT);
    const files = listing.out.trim().split('\n');
    for (const expected of [
      'package/dist/proofline.mjs',
      'package/dist/index.js',
      'package/dist/cdk.js',
      'package/dist/types/api/index.d.ts',
      'package/dist/handlers/collect/index.mjs',
      'package/dist/handlers/export/controls/internal/aws.yaml',
      'package/dist/sbom.cdx.json',
      'package/dist/licenses.md',
      'package/controls/internal/aws.yaml',
      'package/LICENSE',
      'package/CHANGELOG.md',
    ])
      expect(files).toContain(expected);
    expect(files.filter((f) => f.startsWith('package/test/') || /(?<!\.d)\.ts$/.test(f))).toEqual([]);
    expect(statSync(file).size).toBeLessThanOrEqual(TARBALL_BUDGET_BYTES);
  });

  it('runs the CLI: npx proofline --help', () => {
    const help = proofline('--help');
    expect(help.status, help.out).toBe(0);
    expect(help.out).toContain('Usage: proofline');
  });

  it('exports an archive with this version and verifies it against the key fingerprint; a wrong fingerprint fails', async () => {
    await writeFile(join(app, 'policy.md'), '# Information security policy\n');
    const day = new Date().toISOString().slice(0, 10);
    expect(
      proofline('evidence', 'upload', '--control', 'GOV-01', 'policy.md', '--uploader', 'ci').status,
    ).toBe(0);
    expect(proofline('digest').status).toBe(0);
    const exported = proofline('export', '--framework', 'soc2', '--from', day, '--to', day, '--out', 'a.zip');
    expect(exported.status, exported.out).toBe(0);
    const fingerprint = /--fingerprint ([0-9a-f]{64})/.exec(exported.out)?.[1];
    expect(fingerprint, exported.out).toBeDefined();

    const verified = proofline('verify', 'a.zip', '--fingerprint', fingerprint!);
    expect(verified.status, verified.out).toBe(0);
    expect(verified.out).toContain('signature valid');
    const other = fingerprint!.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    expect(proofline('verify', 'a.zip', '--fingerprint', other).status).toBe(4);
  });

  it('imports the library: the store the CLI wrote opens read-only and lists its evidence', async () => {
    await writeFile(
      join(app, 'library.mjs'),
      `import { LocalStore } from 'proofline';
const store = await LocalStore.openReadOnly('.proofline');
console.log((await store.listArtifacts()).map((a) => a.collector).join(','));
await store.close();
`,
    );
    const listed = sh('node', ['library.mjs'], app);
    expect(listed.status, listed.out).toBe(0);
    expect(listed.out).toContain('manual');
  });

  it('synthesizes a dozen-line CDK app using proofline/cdk offline, with the prebuilt handlers and no esbuild', async () => {
    expect(existsSync(join(app, 'node_modules', 'esbuild'))).toBe(false);
    await writeFile(join(app, 'app.mjs'), CDK_APP);
    const synth = sh('node', ['app.mjs'], app, {
      CDK_VALIDATION: 'false',
      AWS_EC2_METADATA_DISABLED: 'true',
    });
    expect(synth.status, synth.out).toBe(0);
    expect(synth.out).toContain('synthesized');
    const template = JSON.parse(readFileSync(join(app, 'cdk.out', 'Compliance.template.json'), 'utf8')) as {
      Resources: Record<string, { Type: string; Properties: { Handler?: string } }>;
    };
    const functions = Object.values(template.Resources).filter((r) => r.Type === 'AWS::Lambda::Function');
    expect(functions.length).toBeGreaterThanOrEqual(6);
    expect(new Set(functions.map((f) => f.Properties.Handler))).toEqual(new Set(['index.handler']));
    const assets = readdirSync(join(app, 'cdk.out')).filter((f) => f.startsWith('asset.'));
    expect(assets.some((a) => existsSync(join(app, 'cdk.out', a, 'index.mjs')))).toBe(true);
  });
});
