import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, expect, it } from 'vitest';
import { EXIT_SIGNER_UNTRUSTED, EXIT_VERIFY_FAILED } from '../../cli/export.ts';
import { EXIT } from '../../core/errors.ts';
import { openSigner } from '../../core/stores/open.ts';
import { seedDemoAccount } from '../../demo/seed-aws.ts';
import { unzipToMemory, zipFromMemory } from '../support/archive.ts';
import { describeAws } from '../support/aws.ts';
import { runCli } from '../support/cli.ts';
import { createAwsStoreResources, createKmsSigningKey } from '../support/stores.ts';

const run = (...args: string[]) => runCli(args);

/** The signing-key fingerprint `export` prints: what the organisation gives its auditor. */
const fingerprintOf = (out: string) => /fingerprint ([0-9a-f]{64})/.exec(out)![1]!;
describeAws('proofline export and verify', () => {
  let dir: string;
  let store: string;
  const today = new Date().toISOString().slice(0, 10);
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  beforeAll(async () => {
    await seedDemoAccount();
    dir = await mkdtemp(join(tmpdir(), 'proofline-cli-export-'));
    store = join(dir, 'store');
    const collected = await run('--store', store, 'collect', '--region', 'us-east-1');
    // The emulator does not answer Systems Manager's inventory, Macie or Access Analyzer: those collections are
    // recorded as gaps, and the exit code says some collection failed.
    expect(collected.code, collected.err).toBe(EXIT.collectionErrors);
    expect([...new Set(collected.out.match(/(?<=collection failed: )\S+/g))].sort()).toEqual([
      'aws.accessanalyzer',
      'aws.macie',
      'aws.ssm.managed-instances',
    ]);
  });

  it('exports a signed SOC 2 archive of the collected evidence and verifies it by fingerprint and by key', async () => {
    const zip = join(dir, 'soc2.zip');
    const exported = await run(
      '--store',
      store,
      'export',
      '--framework',
      'soc2',
      '--from',
      today,
      '--to',
      today,
      '--sample',
      '2',
      '--seed',
      'cli',
      '--out',
      zip,
    );
    expect(exported.code, exported.err).toBe(EXIT.ok);
    expect(exported.out).toMatch(
      new RegExp(`soc2 ${today} to ${today} \\(1 UTC day\\), \\d+ controls, 61 requirements`),
    );
    // One day: one expected collection per control, IAM-02's failing (bob has no MFA).
    expect(exported.out).toMatch(/^IAM-02 +1 +0\.0% +1 +0 +0$/m);
    const fingerprint = fingerprintOf(exported.out);

    const byFingerprint = await run('verify', zip, '--fingerprint', fingerprint);
    expect(byFingerprint.code, byFingerprint.out).toBe(EXIT.ok);
    expect(byFingerprint.out).toContain(`✓ signature valid: key ${fingerprint} (the trusted key)`);
    expect(byFingerprint.out).toContain(`OK: ${zip}`);
    const byKey = await run('verify', zip, '--public-key', join(store, 'keys', 'public-key.pem'));
    expect(byKey.code).toBe(EXIT.ok);
    // Without a trusted key the archive is intact but its signer unknown: never "OK", never exit 0.
    const untrusted = await run('verify', zip);
    expect(untrusted.code).toBe(EXIT_SIGNER_UNTRUSTED);
    expect(untrusted.out).toContain(`! signer not established: signed by key ${fingerprint}`);
    expect(untrusted.out).toContain(`NOT VERIFIED (signer unknown): ${zip}`);
    expect(untrusted.out).not.toContain('✓ signature valid');
    expect(untrusted.out).not.toContain('OK:');
    const json = JSON.parse((await run('verify', zip, '--json')).out);
    expect(json).toMatchObject({
      ok: false,
      outcome: 'signer-untrusted',
      problems: [],
      signatureValid: true,
      framework: 'soc2',
    });
    const trustedJson = JSON.parse((await run('verify', zip, '--json', '--fingerprint', fingerprint)).out);
    expect(trustedJson).toMatchObject({ ok: true, outcome: 'verified', keyTrusted: true });

    const files = await unzipToMemory(await readFile(zip));
    const samples = parse(files.find((f) => f.name === 'samples.csv')!.bytes, { columns: true }) as Record<
      string,
      string
    >[];
    // One credential report collected today: the sample is the whole population.
    expect(samples.filter((r) => r.population_file === 'populations/IAM-01.csv')).toEqual([
      expect.objectContaining({ population: '1', sample_size: '1', seed: 'cli', draw: '1' }),
    ]);
  });

  it('verify exits 4 and names each file when the archive was tampered with, or signed by another key', async () => {
    const zip = join(dir, 'tampered-source.zip');
    expect(
      (
        await run(
          '--store',
          store,
          'export',
          '--framework',
          'soc2',
          '--from',
          today,
          '--to',
          today,
          '--out',
          zip,
        )
      ).code,
    ).toBe(EXIT.ok);
    const files = await unzipToMemory(await readFile(zip));
    const evidence = files.find((f) => f.name.startsWith('evidence/'))!;
    evidence.bytes[20] = evidence.bytes[20]! ^ 0x20;
    const tampered = join(dir, 'tampered.zip');
    await writeFile(
      tampered,
      await zipFromMemory([
        ...files.filter((f) => f.name !== 'README.txt'),
        { name: 'evidence/x.json', bytes: Buffer.from('{}') },
      ]),
    );
    const report = await run('verify', tampered);
    expect(report.code).toBe(EXIT_VERIFY_FAILED);
    expect(report.out).toContain(`✗ ${evidence.name}: SHA-256 `);
    expect(report.out).toContain('✗ README.txt: listed in the manifest but missing from the archive');
    expect(report.out).toContain('✗ evidence/x.json: not listed in the manifest (added)');
    expect(report.out).toMatch(/FAILED: \d+ problems in \d+ files of /);

    const otherKey = await run('verify', zip, '--fingerprint', 'ab'.repeat(32));
    expect(otherKey.code).toBe(EXIT_VERIFY_FAILED);
    expect(otherKey.out).toContain(`not the trusted ${'ab'.repeat(32)}`);
  });

  it('an ISO 27001 archive carries the Statement of Applicability (93 rows), and the exceptions in force', async () => {
    const excepted = await run(
      '--store',
      store,
      'exception',
      'add',
      '--control',
      'DATA-02',
      '--resource',
      'arn:aws:s3:::acme-legacy-*',
      '--reason',
      'public website assets, moving to CloudFront',
      '--owner',
      'platform',
      '--approved-by',
      'security-lead',
      '--expires',
      new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10),
    );
    expect(excepted.code, excepted.err).toBe(EXIT.ok);
    const out = join(dir, 'iso.zip');
    const exported = await run(
      '--store',
      store,
      'export',
      '--framework',
      'iso27001',
      '--from',
      today,
      '--to',
      today,
      '--out',
      out,
    );
    expect(exported.code, exported.err).toBe(EXIT.ok);
    const files = new Map((await unzipToMemory(await readFile(out))).map((e) => [e.name, e.bytes]));
    const soa = files.get('soa.csv')?.toString('utf8').trim().split('\n') ?? [];
    expect(soa).toHaveLength(94);
    expect(soa[0]).toBe(
      'annex_a_control,theme,title,applicable,justification,implemented_by,status,risks,evidence,evidenced_by',
    );
    expect(files.get('exceptions.csv')?.toString('utf8')).toContain('DATA-02');
    const verified = await run('verify', out, '--fingerprint', fingerprintOf(exported.out));
    expect(verified.code, verified.out).toBe(EXIT.ok);
  });

  it('an archive of the AWS store is signed with its KMS key', async () => {
    const { bucket, table } = await createAwsStoreResources('exportcli');
    const key = await createKmsSigningKey();
    const aws = `s3://${bucket}?table=${table}&key=${key}`;
    expect(
      (await run('--store', aws, 'collect', '--region', 'us-east-1', '--collector', 'aws.kms.keys')).code,
    ).toBe(EXIT.ok);
    const out = join(dir, 'kms.zip');
    const exported = await run(
      '--store',
      aws,
      'export',
      '--framework',
      'soc2',
      '--from',
      today,
      '--to',
      today,
      '--out',
      out,
    );
    expect(exported.code, exported.err).toBe(EXIT.ok);
    const pem = await (await openSigner(aws)).publicKeyPem();
    await writeFile(join(dir, 'kms.pem'), pem);
    expect((await run('verify', out, '--public-key', join(dir, 'kms.pem'))).code).toBe(EXIT.ok);
    expect((await run('verify', out, '--fingerprint', '0'.repeat(64))).code).toBe(EXIT_VERIFY_FAILED);
  });

  it('a period ending in the future is clipped to today, and says so', async () => {
    const zip = join(dir, 'future.zip');
    const exported = await run(
      ...['--store', store, 'export', '--framework', 'soc2', '--from', today, '--to', tomorrow, '--out', zip],
    );
    expect(exported.code, exported.err).toBe(EXIT.ok);
    const clipped = `--to ${tomorrow} is after what can be judged (${today} is today (UTC)): the period ends ${today}`;
    expect(exported.out).toContain(`Period clipped: ${clipped}`);
    expect(exported.out).toContain(`soc2 ${today} to ${today} (1 UTC day)`);
    const verified = await run('verify', zip, '--fingerprint', fingerprintOf(exported.out));
    expect(verified.code).toBe(EXIT.ok);
    expect(verified.out).toContain(`! period clipped: ${clipped}`);
  });

  it('an empty period exports an archive that says so, exit 0', async () => {
    const zip = join(dir, 'empty.zip');
    const exported = await run(
      '--store',
      store,
      'export',
      '--framework',
      'iso27001',
      '--from',
      '2020-01-01',
      '--to',
      '2020-01-31',
      '--out',
      zip,
    );
    expect(exported.code, exported.err).toBe(EXIT.ok);
    expect(exported.out).toContain(
      'Evidence: none collected in this period for these controls and scope (the archive says so)',
    );
    const verified = await run('verify', zip, '--fingerprint', fingerprintOf(exported.out));
    expect(verified.code).toBe(EXIT.ok);
    expect(verified.out).toContain(
      'iso27001 2020-01-01 to 2020-01-31: no evidence in this period (an empty archive)',
    );
  });

  it('rejects bad input with a message naming it and exit 2, leaving no partial file', async () => {
    const zip = join(dir, 'bad.zip');
    const exportWith = (...args: string[]) => run('--store', store, 'export', '--out', zip, ...args);
    const cases: [() => Promise<{ code: number; err: string }>, string][] = [
      [
        () => exportWith('--framework', 'soc2', '--from', '2026-13-01', '--to', today),
        '--from "2026-13-01" is not a date',
      ],
      [
        () => exportWith('--framework', 'pci', '--from', today, '--to', today),
        "option '--framework <name>' argument 'pci' is invalid",
      ],
      [
        () => exportWith('--framework', 'soc2', '--from', today, '--to', today, '--control', 'NOPE-01'),
        'unknown control "NOPE-01"',
      ],
      [
        () => exportWith('--framework', 'soc2', '--from', tomorrow, '--to', tomorrow),
        `the period ${tomorrow} to ${tomorrow} starts after the evidence ends: ${today} is today (UTC); choose an earlier --from`,
      ],
      [
        () => exportWith('--framework', 'soc2', '--from', today, '--to', today, '--sample', '0'),
        '"0" is not a positive integer',
      ],
      [() => run('verify', join(dir, 'nope.zip')), `no file ${join(dir, 'nope.zip')}`],
      [() => run('verify', zip, '--fingerprint', 'xyz'), '--fingerprint must be 64 hex digits'],
    ];
    for (const [attempt, message] of cases) {
      const result = await attempt();
      expect(result.err, message).toContain(message);
      expect(result.code).toBe(EXIT.usage);
    }
    await expect(stat(zip)).rejects.toThrow('ENOENT');
    await expect(stat(`${zip}.partial`)).rejects.toThrow('ENOENT');

    await writeFile(zip, 'already here');
    const exists = await exportWith('--framework', 'soc2', '--from', today, '--to', today);
    expect(exists.code).toBe(EXIT.usage);
    expect(exists.err).toContain('already exists; remove it or choose another --out');
  });
});
