import { chmod, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXIT } from '../../core/errors.ts';
import { LocalSigner } from '../../core/signing.ts';
import { S3DynamoStore } from '../../core/stores/aws-store.ts';
import { LocalStore } from '../../core/stores/local-store.ts';
import { describeAws } from '../support/aws.ts';
import { runCli } from '../support/cli.ts';
import { artifact, createAwsStoreResources, createKmsSigningKey } from '../support/stores.ts';

const run = (...args: string[]) => runCli(args);

const UNTIL = '2026-01-05T12:00:00Z';

/** Two artifacts written at 10:10 and 11:20 with a store whose clock the test sets. */
async function seed(store: { putArtifact: LocalStore['putArtifact'] }, setClock: (at: string) => void) {
  setClock('2026-01-05T10:10:00.000Z');
  const first = await store.putArtifact(artifact('2026-01-05T10:09:00.000Z', { n: 1 }));
  setClock('2026-01-05T11:20:00.000Z');
  await store.putArtifact(artifact('2026-01-05T11:19:00.000Z', { n: 2 }));
  return first.ref;
}

describe('proofline digest and verify-chain on the embedded store', () => {
  let dir: string;
  let firstKey: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'proofline-cli-chain-'));
    let clock = '';
    const store = await LocalStore.open(dir, { now: () => new Date(clock) });
    firstKey = (await seed(store, (at) => (clock = at))).key;
    await store.close();
  });
  afterEach(() => {
    process.exitCode = 0;
  });

  it('writes the due digests once and verifies the chain', async () => {
    const digest = await run('--store', dir, 'digest', '--until', UNTIL);
    expect(digest.code).toBe(EXIT.ok);
    expect(digest.out).toContain('wrote digests/dt=2026-01-05/20260105T110000Z-digest.json');
    expect(digest.out).toContain(
      '2 digests written; chain head digests/dt=2026-01-05/20260105T120000Z-digest.json',
    );
    expect((await run('--store', dir, 'digest', '--until', UNTIL)).out).toContain('0 digests written');

    const verify = await run('--store', dir, 'verify-chain', '--to', UNTIL);
    expect(verify.code).toBe(EXIT.ok);
    expect(verify.out).toMatch(/2026-01-05T10:00:00.000Z → 2026-01-05T11:00:00.000Z {2}valid +1 artifacts/);
    expect(verify.out).toContain('chain valid: 2 periods');
  });

  it('exits non-zero and names each problem', async () => {
    await run('--store', dir, 'digest', '--until', UNTIL);
    const path = join(dir, ...firstKey.split('/'));
    await chmod(path, 0o644);
    await writeFile(path, '{"altered":true}');
    const verify = await run('--store', dir, 'verify-chain', '--to', '2026-01-05T13:00:00Z');
    expect(verify.code).toBe(EXIT.chainProblems);
    expect(verify.out).toContain(`artifact-altered: ${firstKey}: stored bytes have SHA-256`);
    expect(verify.out).toContain('digest-missing: digests/dt=2026-01-05/20260105T130000Z-digest.json');
    expect(verify.out).toContain('chain INVALID: 2 problems in 2 of 3 periods');

    const json = JSON.parse((await run('--store', dir, 'verify-chain', '--to', UNTIL, '--json')).out);
    expect(json.ok).toBe(false);
    expect(json.periods[0].problems).toMatchObject([{ kind: 'artifact-altered', key: firstKey }]);
  });

  it('trusts only the keys it is given', async () => {
    await run('--store', dir, 'digest', '--until', UNTIL);
    const otherDir = await mkdtemp(join(tmpdir(), 'proofline-cli-key-'));
    await LocalSigner.open(otherDir);
    const verify = await run(
      '--store',
      dir,
      'verify-chain',
      '--to',
      UNTIL,
      '--public-key',
      join(otherDir, 'keys', 'public-key.pem'),
    );
    expect(verify.code).toBe(EXIT.chainProblems);
    expect(verify.out).toMatch(
      /unknown-key: digests\/dt=2026-01-05\/20260105T110000Z-digest.json: signed by local:/,
    );
  });

  it('refuses to seal periods that have not ended', async () => {
    const future = new Date(Date.now() + 3_600_000).toISOString();
    const refused = await run('--store', dir, 'digest', '--until', future);
    expect(refused.code).toBe(EXIT.usage);
    expect(refused.err).toMatch(
      new RegExp(
        `^proofline: --until ${future} has not passed yet: only periods that ended by \\S+ can be sealed`,
      ),
    );
    expect(refused.err.split('\n')).toHaveLength(1);
    await expect(stat(join(dir, 'digests'))).rejects.toThrow(/ENOENT/);
  });

  it('rejects a period that does not divide a day, and a store that never signed', async () => {
    const bad = await run('--store', dir, 'digest', '--period', '7m');
    expect(bad.code).toBe(EXIT.usage);
    expect(bad.err).toContain('digest period "7m" must be at least a minute and divide a day evenly');
    const unsigned = await run('--store', dir, 'verify-chain');
    expect(unsigned.code).toBe(EXIT.error);
    expect(unsigned.err).toMatch(/keys\/public-key.pem does not exist/);
  });
});

describe('verify-chain on evidence written just now', () => {
  it('re-hashes what no digest covers yet, and exits 4 naming a newest file changed by one byte', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'proofline-cli-fresh-'));
    const store = await LocalStore.open(dir);
    const { ref } = await store.putArtifact(artifact(new Date().toISOString(), { n: 1 }));
    await store.close();
    expect((await run('--store', dir, 'digest')).code).toBe(EXIT.ok);
    const fresh = await run('--store', dir, 'verify-chain');
    expect(fresh.code, fresh.out).toBe(EXIT.ok);
    expect(fresh.out).toMatch(/\d+ artifacts? not yet covered by a digest \(written .*\), all unaltered/);

    const path = join(dir, ...ref.key.split('/'));
    const bytes = await readFile(path);
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 2) ^ 1, bytes.length - 2);
    await chmod(path, 0o644);
    await writeFile(path, bytes);
    const altered = await run('--store', dir, 'verify-chain');
    expect(altered.code).toBe(EXIT.chainProblems);
    expect(altered.out).toContain(`artifact-altered: ${ref.key}: stored bytes have SHA-256`);
    expect(altered.out).toMatch(/chain INVALID: 1 problem/);
  });
});

describeAws('proofline digest and verify-chain on --store s3://…', () => {
  afterEach(() => {
    process.exitCode = 0;
  });

  it('runs the same commands against the bucket, table and KMS key', async () => {
    const resources = await createAwsStoreResources('cli-chain');
    const keyId = await createKmsSigningKey();
    let clock = '';
    const store = new S3DynamoStore({ ...resources, now: () => new Date(clock) });
    await seed(store, (at) => (clock = at));
    const spec = `s3://${resources.bucket}?table=${resources.table}&key=${keyId}`;

    const digest = await run('--store', spec, 'digest', '--until', UNTIL);
    expect(digest.err).toBe('');
    expect(digest.code).toBe(EXIT.ok);
    expect(digest.out).toMatch(/2 digests written; .* signed by arn:aws:kms:us-east-1:\d+:key\//);
    expect((await run('--store', spec, 'verify-chain', '--to', UNTIL)).code).toBe(EXIT.ok);

    const dropped = 'digests/dt=2026-01-05/20260105T110000Z-digest.json';
    await resources.s3.send(new DeleteObjectCommand({ Bucket: resources.bucket, Key: dropped }));
    const verify = await run('--store', spec, 'verify-chain', '--to', UNTIL);
    expect(verify.code).toBe(EXIT.chainProblems);
    expect(verify.out).toContain(
      `digest-missing: ${dropped}: the index records this digest, but storage has no object`,
    );
  });

  it('says what an s3:// store URL lacks', async () => {
    const noTable = await run('--store', 's3://some-bucket', 'status');
    expect(noTable.err).toContain('--store s3://some-bucket: the DynamoDB table is missing');
    const noKey = await run('--store', 's3://some-bucket?table=t', 'digest');
    expect(noKey.err).toContain('add &key=<kms key id> to sign digests with KMS');
    expect(noKey.code).toBe(EXIT.error);
  });
});
