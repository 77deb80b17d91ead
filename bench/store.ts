import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import pLimit from 'p-limit';
import { buildArchive } from '../core/archive/build.ts';
import { READ_AHEAD } from '../core/archive/read-ahead.ts';
import { verifyChain, writeDueDigests } from '../core/digest-chain.ts';
import type { Artifact, Control, ControlResult } from '../core/model.ts';
import { LocalSigner } from '../core/signing.ts';
import { evidenceTableDefinition, S3DynamoStore } from '../core/stores/aws-store.ts';
import { LocalStore } from '../core/stores/local-store.ts';
import type { ChainedStore } from '../core/stores/open.ts';
import { startMoto } from '../demo/moto.ts';

export interface StoreBenchOptions {
  /** Artifacts written and read per store. Default 200. */
  readonly artifacts?: number;
  /** Parallel requests, as a collection run issues them. Default 8. */
  readonly concurrency?: number;
  /** An already running moto_server; default: start one for the bench. */
  readonly motoEndpoint?: string;
}

const WRITE_OPS = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);

/** A snapshot about the size of a 20-bucket S3 inventory (~5 KB canonical JSON). */
function sampleArtifact(i: number, at: Date): Artifact {
  return {
    collector: `bench.collector-${i % 5}`,
    scope: { source: 'aws', id: String(100000000000 + (i % 10)), region: 'eu-west-1' },
    collectedAt: new Date(at.getTime() + i).toISOString(),
    schemaVersion: 1,
    status: 'ok',
    snapshot: {
      buckets: Array.from({ length: 20 }, (_, b) => ({
        name: `bucket-${i}-${b}`,
        region: 'eu-west-1',
        encryption: { algorithm: 'aws:kms', keyId: `arn:aws:kms:eu-west-1:123456789012:key/${b}` },
        publicAccessBlock: { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true },
        versioning: b % 3 === 0 ? 'Enabled' : 'Suspended',
        tags: { team: `team-${b % 4}`, env: 'prod' },
      })),
    },
  };
}

interface Measured {
  putPerSecond: number;
  getPerSecond: number;
  chainMs: number;
}

async function measure(store: ChainedStore, artifacts: Artifact[], concurrency: number, sign: LocalSigner) {
  const limit = pLimit(concurrency);
  let start = performance.now();
  const keys = await Promise.all(
    artifacts.map((a) =>
      limit(async () => {
        const { ref } = await store.putArtifact(a);
        await store.putFindings(ref.key, []);
        return ref.key;
      }),
    ),
  );
  const putSeconds = (performance.now() - start) / 1000;
  start = performance.now();
  await Promise.all(keys.map((key) => limit(() => store.getArtifact(key))));
  const getSeconds = (performance.now() - start) / 1000;
  start = performance.now();
  const upTo = new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000).toISOString();
  // Every write has returned: the current hour may be sealed now rather than after it ends.
  await writeDueDigests(store, sign, { upTo, now: new Date(Date.parse(upTo) + 61_000) });
  const report = await verifyChain(store, [await sign.publicKeyPem()], { to: upTo });
  if (!report.ok)
    throw new Error(`bench chain did not verify: ${JSON.stringify(report.periods[0]?.problems)}`);
  return {
    putPerSecond: artifacts.length / putSeconds,
    getPerSecond: artifacts.length / getSeconds,
    chainMs: performance.now() - start,
  } satisfies Measured;
}

/** Builds the same archive from the store twice, reading one evidence file at a time, then READ_AHEAD ahead. */
async function archiveReadAhead(store: ChainedStore, signer: LocalSigner, at: Date) {
  const day = at.toISOString().slice(0, 10);
  const collectorOfCheck = new Map(
    Array.from({ length: 5 }, (_, i) => [`bench.check-${i}`, `bench.collector-${i}`]),
  );
  const control: Control = {
    id: 'BENCH-01',
    title: 'Benchmark control',
    objective: 'Evidence for the archive benchmark.',
    owner: 'platform',
    type: 'automated',
    checks: [...collectorOfCheck.keys()],
    soc2: ['CC6.1'],
    iso27001: ['A.8.5'],
    links: [],
  };
  // Evaluated once, as a deployment is: the archive reads the control's state, not each file's findings.
  await store.applyControlResults(
    [
      {
        control: control.id,
        status: 'passing',
        failing: [],
        findingCount: 0,
        resourceCount: 0,
        evidence: [],
        gaps: [],
      },
    ],
    at.toISOString(),
  );
  const build = async (readAhead: number) => {
    const start = performance.now();
    await buildArchive({
      store,
      signer,
      output: new Writable({ write: (_chunk, _encoding, done) => done() }),
      framework: 'soc2',
      from: day,
      to: day,
      controls: [control],
      collectorOfCheck,
      generator: { name: 'proofline', version: 'bench' },
      readAhead,
    });
    return performance.now() - start;
  };
  const onTurnMs = await build(0);
  const aheadMs = await build(READ_AHEAD);
  return { onTurnMs, aheadMs };
}

/**
 * Put and get throughput of the AWS store on moto against the embedded store in the same run, and the
 * DynamoDB requests each collected artifact costs (goal: ≤ 3 writes).
 */
export async function runStoreBench(options: StoreBenchOptions = {}): Promise<string[]> {
  const n = options.artifacts ?? 200;
  const concurrency = options.concurrency ?? 8;
  const moto = options.motoEndpoint ? undefined : await startMoto();
  const endpoint = options.motoEndpoint ?? moto!.endpoint;
  const dir = await mkdtemp(join(tmpdir(), 'proofline-bench-store-'));
  try {
    const at = new Date();
    const artifacts = Array.from({ length: n }, (_, i) => sampleArtifact(i, at));
    const signer = await LocalSigner.open(dir);
    const size = Buffer.byteLength(JSON.stringify(artifacts[0]));

    const local = await LocalStore.open(join(dir, 'store'));
    const embedded = await measure(local, artifacts, concurrency, signer);
    await local.close();

    const config = {
      region: 'us-east-1',
      endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
    };
    const s3 = new S3Client(config);
    const dynamodb = new DynamoDBClient(config);
    const sent: string[] = [];
    dynamodb.middlewareStack.add(
      (next, context) => (args) => {
        sent.push((context.commandName ?? '').replace(/Command$/, ''));
        return next(args);
      },
      { step: 'initialize', name: 'benchCounter' },
    );
    const bucket = `bench-${process.pid}`;
    const table = `bench-${process.pid}`;
    await s3.send(new CreateBucketCommand({ Bucket: bucket, ObjectLockEnabledForBucket: true }));
    await dynamodb.send(new CreateTableCommand(evidenceTableDefinition(table)));
    sent.splice(0);
    const aws = new S3DynamoStore({ s3, dynamodb, bucket, table });
    const onMoto = await measure(aws, artifacts, concurrency, signer);

    const archive = await archiveReadAhead(aws, signer, at);

    // Requests for one more collection, counted alone.
    sent.splice(0);
    const probe = sampleArtifact(n, new Date(at.getTime() + 10_000));
    const { ref } = await aws.putArtifact(probe);
    await aws.putFindings(ref.key, []);
    const collectOps = sent.splice(0);
    await aws.putArtifact(probe);
    const repeatOps = sent.splice(0);
    await aws.getArtifact(ref.key);
    const getOps = sent.splice(0);
    const controls: ControlResult[] = Array.from({ length: 20 }, (_, i) => ({
      control: `BENCH-${i}`,
      status: i % 4 ? 'passing' : 'failing',
      failing: [],
      findingCount: 1,
      resourceCount: 1,
      evidence: [ref.key],
      gaps: [],
    }));
    await aws.applyControlResults(controls, new Date().toISOString());
    const evaluateOps = sent.splice(0);
    await aws.close();

    const writes = collectOps.filter((op) => WRITE_OPS.has(op)).length;
    const tally = (ops: string[]) => {
      const counts = new Map<string, number>();
      for (const op of ops) counts.set(op, (counts.get(op) ?? 0) + 1);
      return [...counts].map(([op, count]) => `${op} ${count}`).join(', ');
    };
    const row = (what: string, e: number, m: number) =>
      `  ${what.padEnd(5)} embedded ${e.toFixed(0).padStart(6)}/s   moto ${m.toFixed(0).padStart(6)}/s   moto/embedded ${(m / e).toFixed(3)}×`;
    return [
      `store: ${n} artifacts of ${(size / 1024).toFixed(1)} KB, ${concurrency} in parallel (embedded store vs S3 + DynamoDB on moto_server)`,
      row('put', embedded.putPerSecond, onMoto.putPerSecond),
      row('get', embedded.getPerSecond, onMoto.getPerSecond),
      `  digest + verify-chain of all ${n}: embedded ${embedded.chainMs.toFixed(0)} ms, moto ${onMoto.chainMs.toFixed(0)} ms (${(onMoto.chainMs / embedded.chainMs).toFixed(1)}×)`,
      `  DynamoDB per collected artifact (put + findings): ${writes} writes [${tally(collectOps)}] — goal ≤ 3: ${writes <= 3 ? 'met' : 'MISSED'}`,
      `  DynamoDB per repeated put (nothing added): ${repeatOps.length} conditional writes [${tally(repeatOps)}]`,
      `  DynamoDB per artifact read: ${getOps.length} [${tally(getOps)}]`,
      `  DynamoDB per evaluation of 20 controls: ${evaluateOps.length} requests [${tally(evaluateOps)}]`,
      `  archive of all ${n} from moto: each file opened on its turn ${archive.onTurnMs.toFixed(0)} ms, ${READ_AHEAD} opened ahead ${archive.aheadMs.toFixed(0)} ms (${(archive.onTurnMs / archive.aheadMs).toFixed(2)}× faster; moto answers one request at a time — see the get rate above — so this is its floor; against S3 the files opened ahead overlap network latency instead)`,
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
    await moto?.stop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  for (const line of await runStoreBench()) console.log(line);
}
