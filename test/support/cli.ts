import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../cli/program.ts';
import type { Terminal } from '../../core/report/table.ts';
import { LocalStore } from '../../core/stores/local-store.ts';

export interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** Runs the real CLI entry (`main`) in-process, capturing what it prints. */
export async function runCli(args: readonly string[], terminal?: Terminal): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['node', 'proofline', ...args], {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    ...(terminal ? { terminal } : {}),
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** A new, empty embedded store in a temporary folder (reading commands refuse a folder that holds none). */
export async function tempStore(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'proofline-cli-'));
  await (await LocalStore.open(dir)).close();
  return dir;
}

/** `YYYY-MM-DD`, `days` from now (UTC). */
export const dateIn = (days: number): string =>
  new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

const block = {
  blockPublicAcls: true,
  ignorePublicAcls: true,
  blockPublicPolicy: true,
  restrictPublicBuckets: true,
};
const bucket = (name: string, blocked: boolean) => ({
  name,
  region: 'us-east-1',
  encryption: { algorithm: 'AES256', kmsKeyId: null },
  publicAccessBlock: blocked ? block : null,
  versioning: 'Enabled',
  logging: null,
  policy: null,
});

/** A store holding one S3 snapshot in which bucket `public-site` is not blocked from public access. */
export async function storeWithPublicBucket(): Promise<string> {
  const dir = await tempStore();
  const store = await LocalStore.open(dir);
  await store.putArtifact({
    collector: 'aws.s3.buckets',
    scope: { source: 'aws', id: '111122223333' },
    collectedAt: new Date(Date.now() - 3_600_000).toISOString(),
    schemaVersion: 1,
    status: 'ok',
    snapshot: {
      accountPublicAccessBlock: null,
      buckets: [bucket('public-site', false), bucket('private', true)],
    },
  });
  await store.close();
  return dir;
}
