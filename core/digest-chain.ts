import { createPublicKey, type KeyObject } from 'node:crypto';
import pLimit from 'p-limit';
import * as z from 'zod';
import { canonicalJson, sha256Hex } from './canonical.ts';
import { ProoflineError } from './errors.ts';
import { compactTimestamp, parseEvidenceKey } from './evidence-key.ts';
import {
  type PublicKeyInfo,
  publicKeyFingerprint,
  publicKeyInfo,
  type Signer,
  verifySignature,
} from './signing.ts';
import {
  DIGEST_PREFIX,
  type DigestRecord,
  type DigestStorage,
  type WrittenArtifact,
} from './stores/digest-storage.ts';

/**
 * The signed digest chain, modelled on CloudTrail log file integrity validation: each period a digest lists
 * every artifact written in it (key, SHA-256, size) and names the previous digest's key, SHA-256 and
 * signature; the signature covers a small signing input that includes the previous signature. Removing,
 * altering or back-dating evidence, or dropping or editing a digest, breaks a link a verifier can name.
 */

export const DIGEST_FORMAT = 'proofline-digest/1';
export const SIGNATURE_ALGORITHM = 'SHA256withECDSA';
export const DEFAULT_PERIOD_SECONDS = 3600;
/** How long after a period ends its digest may still be in the making (the digest job runs on a schedule). */
export const DEFAULT_GRACE_SECONDS = 900;
/** Writes in flight when a period ends must reach the index before its digest is written. */
export const DEFAULT_SETTLE_SECONDS = 60;

const iso = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
const hex = z.string().regex(/^[0-9a-f]+$/);
export const digestBodySchema = z.strictObject({
  format: z.literal(DIGEST_FORMAT),
  periodStart: iso,
  periodEnd: iso,
  artifacts: z.array(
    z.strictObject({ key: z.string(), sha256: hex, size: z.number().int().nonnegative(), writtenAt: iso }),
  ),
  previousDigestKey: z.string().nullable(),
  previousDigestSha256: hex.nullable(),
  previousDigestSignature: hex.nullable(),
  keyId: z.string(),
  keyFingerprint: hex,
  signatureAlgorithm: z.literal(SIGNATURE_ALGORITHM),
});
export type DigestBody = z.infer<typeof digestBodySchema>;

/** `digests/dt=2026-11-27/20261127T200000Z-digest.json`: named, like CloudTrail's, after the period's end. */
export function digestKey(periodEnd: string): string {
  return `${DIGEST_PREFIX}dt=${periodEnd.slice(0, 10)}/${compactTimestamp(periodEnd)}-digest.json`;
}

const DIGEST_NAME = /(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z-digest\.json$/;
/** The period end a digest key names. */
export function digestKeyPeriodEnd(key: string): string | undefined {
  const m = DIGEST_NAME.exec(key);
  return m ? `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.000Z` : undefined;
}

/**
 * What is signed, one line each (as CloudTrail does): the period end, the digest's key, the SHA-256 (hex) of
 * the digest's bytes, and the previous digest's signature (hex), or `null` for the first digest.
 */
export function signingInput(
  periodEnd: string,
  key: string,
  sha256: string,
  previousSignature: string | null,
): string {
  return `${periodEnd}\n${key}\n${sha256}\n${previousSignature ?? 'null'}`;
}

/** `15m`, `1h`, `1d` or a number of seconds → seconds, checked to be a valid digest period. */
export function parsePeriod(text: string): number {
  const m = /^(\d+)\s*([smhd]?)$/.exec(text.trim());
  const unit = { '': 1, s: 1, m: 60, h: 3600, d: 86_400 } as const;
  const seconds = m ? Number(m[1]) * unit[(m[2] ?? '') as keyof typeof unit] : Number.NaN;
  checkPeriod(seconds, text);
  return seconds;
}

function checkPeriod(seconds: number, shown: string | number = seconds): void {
  if (!Number.isInteger(seconds) || seconds < 60 || 86_400 % seconds !== 0) {
    throw new RangeError(
      `digest period "${shown}" must be at least a minute and divide a day evenly (e.g. 15m, 1h, 6h, 1d)`,
    );
  }
}

const ms = (isoTime: string) => Date.parse(isoTime);
const at = (epochMs: number) => new Date(epochMs).toISOString();
/** The first period boundary after `time`, periods aligned to UTC midnight. */
const nextBoundary = (time: string, periodMs: number) =>
  at(Math.floor(ms(time) / periodMs) * periodMs + periodMs);
const floorTo = (time: string, periodMs: number) => at(Math.floor(ms(time) / periodMs) * periodMs);

export class ChainError extends ProoflineError {
  override name = 'ChainError';
  override readonly userFixable = false;
}

export interface WriteDigestsOptions {
  /**
   * Write digests for every period that ends at or before this time. Refused (RangeError) when it is later
   * than `now` minus the settle time: a digest is final, so a period is sealed only once it has ended and
   * the writes in flight at its end have reached the index.
   */
  readonly upTo: string;
  /** Period length in seconds. Default: 3600. A change applies from the chain head on. */
  readonly periodSeconds?: number;
  /** The clock. Default: the system clock. */
  readonly now?: Date;
}

/**
 * Writes every due digest, from the chain head (or, for a new chain, the period of the first write) up to
 * `upTo`, including empty periods so that a gap in the chain always means something. Idempotent and safe to
 * run concurrently: a digest object is written once; a writer that loses the race adopts the winner's digest.
 */
export async function writeDueDigests(
  storage: DigestStorage,
  signer: Signer,
  options: WriteDigestsOptions,
): Promise<DigestRecord[]> {
  const periodSeconds = options.periodSeconds ?? DEFAULT_PERIOD_SECONDS;
  checkPeriod(periodSeconds);
  const periodMs = periodSeconds * 1000;
  const upTo = at(ms(options.upTo));
  const settled = at((options.now ?? new Date()).getTime() - DEFAULT_SETTLE_SECONDS * 1000);
  if (upTo > settled) {
    throw new RangeError(
      `cannot seal periods up to ${upTo}: only periods that ended by ${settled} (now minus ${DEFAULT_SETTLE_SECONDS} s for writes in flight) can be digested`,
    );
  }
  const key = await publicKeyInfo(signer);
  let previous = await storage.latestDigest();
  let start: string;
  if (previous) start = previous.periodEnd;
  else {
    const first = await storage.firstWriteAt();
    start = first ? floorTo(first, periodMs) : at(ms(floorTo(upTo, periodMs)) - periodMs);
  }
  // Ends on the last period boundary this call seals: objects stored after it wait for a later call.
  const sealedTo = floorTo(upTo, periodMs);
  if (start < sealedTo) await storage.adoptUnindexed?.(start, sealedTo);
  const written: DigestRecord[] = [];
  for (let end = nextBoundary(start, periodMs); end <= upTo; end = nextBoundary(start, periodMs)) {
    const record = await writeDigest(storage, signer, key, previous, start, end);
    written.push(record);
    previous = record;
    start = record.periodEnd;
  }
  return written;
}

async function writeDigest(
  storage: DigestStorage,
  signer: Signer,
  key: PublicKeyInfo,
  previous: DigestRecord | undefined,
  periodStart: string,
  periodEnd: string,
): Promise<DigestRecord> {
  const artifacts = (await storage.artifactsWritten(periodStart, periodEnd))
    .map(({ key: k, sha256, size, writtenAt }) => ({ key: k, sha256, size, writtenAt }))
    .sort((a, b) => (a.key < b.key ? -1 : 1));
  const body: DigestBody = {
    format: DIGEST_FORMAT,
    periodStart,
    periodEnd,
    artifacts,
    previousDigestKey: previous?.key ?? null,
    previousDigestSha256: previous?.sha256 ?? null,
    previousDigestSignature: previous?.signature ?? null,
    keyId: key.keyId,
    keyFingerprint: key.fingerprint,
    signatureAlgorithm: SIGNATURE_ALGORITHM,
  };
  const bytes = Buffer.from(canonicalJson(body), 'utf8');
  const sha256 = sha256Hex(bytes);
  const objectKey = digestKey(periodEnd);
  const input = signingInput(periodEnd, objectKey, sha256, body.previousDigestSignature);
  const signature = (await signer.sign(Buffer.from(input, 'utf8'))).toString('hex');
  const record: DigestRecord = {
    key: objectKey,
    periodStart,
    periodEnd,
    sha256,
    signature,
    previousKey: body.previousDigestKey,
    keyId: key.keyId,
    keyFingerprint: key.fingerprint,
  };
  const created = await storage.putDigestObject(objectKey, bytes, digestMetadata(record));
  const stored = created ? record : await adoptDigest(storage, objectKey, key, previous);
  await storage.putDigestRecord(stored);
  return stored;
}

export function digestMetadata(record: DigestRecord): Record<string, string> {
  return {
    signature: record.signature,
    'signature-algorithm': SIGNATURE_ALGORITHM,
    'key-fingerprint': record.keyFingerprint,
    'key-id': record.keyId,
  };
}

/** Another writer stored this period's digest first: continue from theirs if it is sound and links to ours. */
async function adoptDigest(
  storage: DigestStorage,
  key: string,
  signingKey: PublicKeyInfo,
  previous: DigestRecord | undefined,
): Promise<DigestRecord> {
  const stored = await storage.readDigest(key);
  const body = stored && digestBodySchema.safeParse(parseJson(stored.bytes));
  if (!stored || !body?.success) throw new ChainError(`${key} already exists but is not a readable digest`);
  const digest = body.data;
  const sha256 = sha256Hex(stored.bytes);
  const signature = stored.metadata.signature ?? '';
  const input = signingInput(digest.periodEnd, key, sha256, digest.previousDigestSignature);
  const sound =
    digest.keyFingerprint === signingKey.fingerprint &&
    /^[0-9a-f]+$/.test(signature) &&
    verifySignature(signingKey.pem, Buffer.from(input), Buffer.from(signature, 'hex')) &&
    digest.previousDigestKey === (previous?.key ?? null) &&
    digest.previousDigestSignature === (previous?.signature ?? null);
  if (!sound) {
    throw new ChainError(
      `${key} already exists but does not continue the chain from ${previous?.key ?? 'its start'} with a valid signature by ${signingKey.keyId}; run verify-chain`,
    );
  }
  return {
    key,
    periodStart: digest.periodStart,
    periodEnd: digest.periodEnd,
    sha256,
    signature,
    previousKey: digest.previousDigestKey,
    keyId: digest.keyId,
    keyFingerprint: digest.keyFingerprint,
  };
}

function parseJson(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
}

// ── verification ──────────────────────────────────────────────────────────────────────────────────────────

export type ChainProblemKind =
  | 'digest-missing'
  | 'signature-invalid'
  | 'unknown-key'
  | 'artifact-missing'
  | 'artifact-altered'
  | 'artifact-not-in-digest'
  | 'artifact-back-dated'
  | 'artifact-key-invalid'
  | 'chain-broken';

/** What each problem means, for people reading a report. */
export const PROBLEM_MEANING: Record<ChainProblemKind, string> = {
  'digest-missing': 'a period that ended has no digest, or a digest was removed',
  'signature-invalid': 'a digest was edited, replaced or moved after it was signed',
  'unknown-key': 'a digest was signed by a key that is not trusted',
  'artifact-missing': 'a digest lists an artifact whose object or index item is gone',
  'artifact-altered': 'an artifact no longer has the SHA-256 or size its digest recorded',
  'artifact-not-in-digest':
    'an artifact was written into a digested period but no digest lists it (added afterwards)',
  'artifact-back-dated':
    'an artifact claims a collection time in a period whose digest was due before the artifact was written',
  'artifact-key-invalid': 'an index row or digest names a key outside evidence/ (refused, never read)',
  'chain-broken': 'digests do not link up, or the index disagrees with a digest object',
};

export interface ChainProblem {
  readonly kind: ChainProblemKind;
  /** The object the problem is about: a digest or an artifact key. */
  readonly key: string;
  readonly message: string;
}

export interface PeriodVerification {
  readonly periodStart: string;
  readonly periodEnd: string;
  /** The digest key of the period (also when that digest is missing). */
  readonly digestKey: string;
  /** Artifacts the digest lists (0 when it is missing or unreadable). */
  readonly artifacts: number;
  readonly problems: ChainProblem[];
}

/** Artifacts written after the last digest (in the settle or grace window, or while digests lag). */
export interface UncoveredVerification {
  /** Written at or after this time: the end of the chain head, or of the last verified period. */
  readonly from: string;
  /** … and before this one: `to` when one was given, else an hour past now (a writer's clock may run ahead). */
  readonly to: string;
  /** How many were re-hashed against their key and index row. */
  readonly artifacts: number;
  readonly problems: ChainProblem[];
}

export interface ChainVerification {
  readonly from: string | null;
  readonly to: string;
  readonly periods: PeriodVerification[];
  /** Artifacts no digest covers yet; checked all the same, so "valid" is never said of unchecked evidence. */
  readonly uncovered: UncoveredVerification;
  readonly problems: number;
  readonly ok: boolean;
}

export interface VerifyChainOptions {
  /** Verify periods ending after this time. Default: from the start of the chain. */
  readonly from?: string;
  /** Verify periods ending at or before this time. Default: now minus the grace time, or the chain head when later. */
  readonly to?: string;
  readonly now?: Date;
  /** Default 900 s: a period that ended less than this ago may still be waiting for its digest. */
  readonly graceSeconds?: number;
  /** Parallel object reads. Default 8. */
  readonly concurrency?: number;
}

interface Node {
  readonly key: string;
  readonly periodStart: string;
  readonly periodEnd: string;
  readonly sha256?: string;
  readonly signature?: string;
  readonly body?: DigestBody;
  readonly period: PeriodVerification;
}

/** What every phase of one chain check shares: storage, trusted keys, the range, and how to read in parallel. */
interface ChainCheck {
  readonly storage: DigestStorage;
  /** Trusted keys by fingerprint, each parsed once. */
  readonly keys: ReadonlyMap<string, KeyObject>;
  readonly now: Date;
  readonly from?: string;
  readonly to: string;
  readonly head?: DigestRecord;
  readonly graceMs: number;
  readonly limit: ReturnType<typeof pLimit>;
}

/** The periods walked: each with its problems, from `start` up to `cursor` (the end of the last one). */
interface Walk {
  readonly periods: PeriodVerification[];
  readonly start?: string;
  readonly cursor?: string;
}

const lastPeriodMs = (node?: Node) =>
  node ? ms(node.periodEnd) - ms(node.periodStart) : DEFAULT_PERIOD_SECONDS * 1000;

/**
 * Walks the chain over [from, to] and reports each period: valid, or every problem found. Digests are found
 * both in storage (listed by day) and in the index, so removing either one shows. Evidence is read from
 * storage and hashed, never trusted from the index. Phases: 1. the digests in range; 2. the periods, their
 * gaps and links; 3. the artifacts the digests list; 4. artifacts no digest covers yet; 5. artifacts written
 * in a verified period that no digest lists.
 */
export async function verifyChain(
  storage: DigestStorage,
  trustedKeys: readonly string[],
  options: VerifyChainOptions = {},
): Promise<ChainVerification> {
  const check = await chainCheck(storage, trustedKeys, options);
  const nodes = await readNodes(check);
  const walk = await walkPeriods(check, nodes);
  const inDigests = await checkListedArtifacts(check, nodes);
  const uncovered = await checkUncovered(check, walk, lastPeriodMs(nodes.at(-1)), options.to !== undefined);
  await checkUnlisted(check, walk, inDigests);

  const byKindAndKey = (a: ChainProblem, b: ChainProblem) => (a.kind + a.key < b.kind + b.key ? -1 : 1);
  for (const period of walk.periods) period.problems.sort(byKindAndKey);
  uncovered.problems.sort(byKindAndKey);
  const problems = walk.periods.reduce((n, p) => n + p.problems.length, uncovered.problems.length);
  const from = walk.start ?? check.from ?? null;
  return { from, to: check.to, periods: walk.periods, uncovered, problems, ok: problems === 0 };
}

/** The range: by default every digest written so far, and every period that ended more than the grace ago. */
async function chainCheck(
  storage: DigestStorage,
  trustedKeys: readonly string[],
  options: VerifyChainOptions,
): Promise<ChainCheck> {
  const keys = new Map(trustedKeys.map((pem) => [publicKeyFingerprint(pem), createPublicKey(pem)]));
  const now = options.now ?? new Date();
  const graceMs = (options.graceSeconds ?? DEFAULT_GRACE_SECONDS) * 1000;
  const head = await storage.latestDigest();
  const settled = at(now.getTime() - graceMs);
  const to = options.to ? at(ms(options.to)) : head && head.periodEnd > settled ? head.periodEnd : settled;
  const from = options.from ? at(ms(options.from)) : undefined;
  if (from && from >= to) throw new RangeError(`--from ${from} must be before --to ${to}`);
  const limit = pLimit(options.concurrency ?? 8);
  return { storage, keys, now, to, graceMs, limit, ...(from ? { from } : {}), ...(head ? { head } : {}) };
}

/** 1. Every digest the index or the storage knows of in the range, read in parallel, oldest first. */
async function readNodes(check: ChainCheck): Promise<Node[]> {
  const { storage, from, to } = check;
  const records = new Map(
    (await storage.digestRecords({ ...(from ? { from } : {}), to })).map((r) => [r.key, r]),
  );
  const listed = await storage.listDigestKeys(from?.slice(0, 10), from ? to.slice(0, 10) : undefined);
  const candidates = new Set([...records.keys()]);
  for (const key of listed) {
    const end = digestKeyPeriodEnd(key);
    if (end && (!from || end > from) && end <= to) candidates.add(key);
  }
  const nodes = await Promise.all(
    [...candidates].map((key) => check.limit(() => readNode(storage, key, records.get(key), check.keys))),
  );
  return nodes.sort((a, b) => (a.periodEnd < b.periodEnd ? -1 : a.periodEnd > b.periodEnd ? 1 : 0));
}

/**
 * Where the walk starts: `from` (floored to a period), but never before the chain's first period — the
 * period of the first write, or the first digest found — so a range starting earlier starts at the chain.
 */
async function walkStart(check: ChainCheck, nodes: readonly Node[]): Promise<string | undefined> {
  const periodMs = lastPeriodMs(nodes[0]);
  if (!check.from && nodes[0]) return nodes[0].periodStart;
  const first = await check.storage.firstWriteAt();
  const begins = [first && floorTo(first, periodMs), nodes[0]?.periodStart].filter((t): t is string => !!t);
  const chainStart = begins.sort()[0];
  if (!check.from || chainStart === undefined) return chainStart;
  return [floorTo(check.from, periodMs), chainStart].sort()[1];
}

/** 2. Walk the periods in order: gaps, overlaps and links, up to the last period ended by `to`. */
async function walkPeriods(check: ChainCheck, nodes: readonly Node[]): Promise<Walk> {
  const periods: PeriodVerification[] = [];
  const start = await walkStart(check, nodes);
  let cursor = start;
  let previous: Node | undefined;
  for (const node of nodes) {
    const gap = cursor !== undefined && node.periodStart > cursor;
    if (cursor && gap) periods.push(...missingPeriods(cursor, node.periodStart, lastPeriodMs(node)));
    else if (cursor && node.periodStart < cursor)
      node.period.problems.push({
        kind: 'chain-broken',
        key: node.key,
        message: `its period starts at ${node.periodStart}, inside the previous digest's period (ends ${cursor})`,
      });
    await checkLink(check.storage, node, previous && !gap ? previous : undefined, gap);
    periods.push(node.period);
    previous = node;
    cursor = cursor && cursor > node.periodEnd ? cursor : node.periodEnd;
  }
  if (cursor) {
    const periodMs = lastPeriodMs(nodes.at(-1));
    let end = cursor;
    while (ms(nextBoundary(end, periodMs)) <= ms(check.to)) end = nextBoundary(end, periodMs);
    if (end > cursor) periods.push(...missingPeriods(cursor, end, periodMs));
    cursor = end;
  }
  return { periods, ...(start ? { start } : {}), ...(cursor ? { cursor } : {}) };
}

/**
 * 3. Every artifact a digest lists must be in storage and the index, with the recorded SHA-256 and size.
 * Returns the keys the digests list.
 */
async function checkListedArtifacts(check: ChainCheck, nodes: readonly Node[]): Promise<Set<string>> {
  const listed = nodes.flatMap((n) => (n.body?.artifacts ?? []).map((a) => ({ node: n, artifact: a })));
  const indexed = await check.storage.indexedArtifacts(listed.map((l) => l.artifact.key));
  await Promise.all(
    listed.map(({ node, artifact }) =>
      check.limit(async () => {
        const entry = { ...artifact, source: 'the digest' };
        const row = indexed.get(artifact.key);
        node.period.problems.push(
          ...(await checkArtifact(check.storage, entry, row, lastPeriodMs(node), check.graceMs)),
        );
      }),
    ),
  );
  return new Set(listed.map((l) => l.artifact.key));
}

/** 4. Artifacts written after the last digest: no digest covers them yet, so each is checked here. */
async function checkUncovered(
  check: ChainCheck,
  walk: Walk,
  periodMs: number,
  toGiven: boolean,
): Promise<UncoveredVerification> {
  const from = [check.head?.periodEnd, walk.cursor]
    .filter((t): t is string => !!t)
    .sort()
    .at(-1);
  // Up to `to` when one is given; else up to now, plus an hour for a writer whose clock runs ahead.
  const to = toGiven ? check.to : at(check.now.getTime() + 3_600_000);
  const uncovered = { from: from ?? check.to, to, artifacts: 0, problems: [] as ChainProblem[] };
  if (!from || from >= to) return uncovered;
  const written = await check.storage.artifactsWritten(from, to);
  const rows = await check.storage.indexedArtifacts(written.map((w) => w.key));
  const checked = await Promise.all(
    written.map((w) =>
      check.limit(() =>
        checkArtifact(check.storage, { ...w, source: 'the index' }, rows.get(w.key), periodMs, check.graceMs),
      ),
    ),
  );
  uncovered.problems.push(...checked.flat());
  return { ...uncovered, artifacts: written.length };
}

/**
 * 5. Every artifact written in a verified period must be listed by a digest: found through the index's write
 * records and through storage (objects that bypassed the index), listing only the evidence collected from the
 * day before the range on.
 */
async function checkUnlisted(check: ChainCheck, walk: Walk, inDigests: ReadonlySet<string>): Promise<void> {
  const { start, cursor } = walk;
  if (!start || !cursor || start >= cursor) return;
  const reported = new Set<string>();
  const report = (key: string, time: string, how: string) => {
    if (inDigests.has(key) || reported.has(key)) return;
    reported.add(key);
    const period =
      walk.periods.find((p) => p.periodStart <= time && time < p.periodEnd) ?? walk.periods.at(-1);
    period?.problems.push({
      kind: 'artifact-not-in-digest',
      key,
      message: `${how} at ${time}, but no digest lists it`,
    });
  };
  for (const written of await check.storage.artifactsWritten(start, cursor))
    report(written.key, written.writtenAt, 'indexed as written');
  const unlisted: { key: string; lastModified: string }[] = [];
  const fromDay = at(ms(start) - 86_400_000).slice(0, 10);
  for await (const object of check.storage.listEvidenceObjects({ fromDay }))
    if (object.lastModified >= start && object.lastModified < cursor && !inDigests.has(object.key))
      unlisted.push(object);
  const writes = await check.storage.indexedArtifacts(unlisted.map((o) => o.key));
  for (const object of unlisted) {
    const written = writes.get(object.key);
    // S3 stamps its time a moment after the store's: an object written just before the range is not new.
    if (written && (written.writtenAt < start || written.writtenAt >= cursor)) continue;
    report(object.key, object.lastModified, 'stored');
  }
}

/** An artifact as a digest lists it, or the index records a write no digest covers yet. */
interface ArtifactEntry {
  readonly key: string;
  readonly sha256: string;
  readonly size: number;
  readonly writtenAt: string;
  /** Who names the entry, for messages: 'the digest' or 'the index'. */
  readonly source: string;
}

/**
 * Checks one artifact without trusting the index: its key must be an evidence key (else it is never read),
 * name the SHA-256 recorded for it, match its stored bytes, and claim a collection time whose period's
 * digest was not yet due when the artifact was written.
 */
async function checkArtifact(
  storage: DigestStorage,
  entry: ArtifactEntry,
  row: WrittenArtifact | undefined,
  periodMs: number,
  graceMs: number,
): Promise<ChainProblem[]> {
  const { key } = entry;
  const problems: ChainProblem[] = [];
  let parsed: ReturnType<typeof parseEvidenceKey>;
  try {
    parsed = parseEvidenceKey(key);
  } catch {
    return [
      {
        kind: 'artifact-key-invalid',
        key,
        message: `${entry.source} names a key outside evidence/; not read`,
      },
    ];
  }
  if (parsed.sha256 !== entry.sha256) {
    problems.push({
      kind: 'artifact-altered',
      key,
      message: `${entry.source} records SHA-256 ${entry.sha256}, but the key names ${parsed.sha256}`,
    });
  }
  const actual = await storage.hashObject(key);
  if (!actual) {
    problems.push({
      kind: 'artifact-missing',
      key,
      message: `listed by ${entry.source}, but storage has no object`,
    });
  } else if (actual.sha256 !== parsed.sha256 || actual.size !== entry.size) {
    problems.push({
      kind: 'artifact-altered',
      key,
      message: `stored bytes have SHA-256 ${actual.sha256} (${actual.size} B); ${entry.source} recorded ${entry.sha256} (${entry.size} B)`,
    });
  }
  if (!row) {
    problems.push({
      kind: 'artifact-missing',
      key,
      message: `listed by ${entry.source}, but the index has no item`,
    });
  } else if (row.sha256 !== entry.sha256) {
    problems.push({
      kind: 'artifact-altered',
      key,
      message: `the index records SHA-256 ${row.sha256}; ${entry.source} recorded ${entry.sha256}`,
    });
  }
  const collectedAt = keyTime(key);
  const due = ms(nextBoundary(collectedAt, periodMs)) + graceMs;
  if (ms(entry.writtenAt) > due) {
    problems.push({
      kind: 'artifact-back-dated',
      key,
      message: `collected at ${collectedAt} (per its key) but written at ${entry.writtenAt}, after the digest of ${floorTo(collectedAt, periodMs)} → ${nextBoundary(collectedAt, periodMs)} was due (${at(due)})`,
    });
  }
  return problems;
}

/** The collection time an evidence key carries (`…/20261127T193600Z-<sha256>.json`), to the second. */
function keyTime(key: string): string {
  const m = /\/(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z-[0-9a-f]{64}\.json$/.exec(key)!;
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.000Z`;
}

function missingPeriods(start: string, end: string, periodMs: number): PeriodVerification[] {
  const periods: PeriodVerification[] = [];
  for (let s = start; s < end; s = nextBoundary(s, periodMs)) {
    const e = nextBoundary(s, periodMs) < end ? nextBoundary(s, periodMs) : end;
    const key = digestKey(e);
    periods.push({
      periodStart: s,
      periodEnd: e,
      digestKey: key,
      artifacts: 0,
      problems: [{ kind: 'digest-missing', key, message: 'no digest for this period in storage or index' }],
    });
  }
  return periods;
}

/** Reads one digest: its object, body, signature and index record, each problem on its period. */
async function readNode(
  storage: DigestStorage,
  key: string,
  record: DigestRecord | undefined,
  trusted: ReadonlyMap<string, KeyObject>,
): Promise<Node> {
  const periodEnd = record?.periodEnd ?? digestKeyPeriodEnd(key) ?? '';
  const problems: ChainProblem[] = [];
  const node = (periodStart: string, extra: Partial<Node> = {}): Node => ({
    key,
    periodStart,
    periodEnd,
    ...extra,
    period: {
      periodStart,
      periodEnd,
      digestKey: key,
      artifacts: extra.body?.artifacts.length ?? 0,
      problems,
    },
  });
  const stored = await storage.readDigest(key);
  if (!stored) {
    problems.push({
      kind: 'digest-missing',
      key,
      message: 'the index records this digest, but storage has no object',
    });
    return node(
      record?.periodStart ?? periodEnd,
      record ? { sha256: record.sha256, signature: record.signature } : {},
    );
  }
  const sha256 = sha256Hex(stored.bytes);
  const signature = stored.metadata.signature ?? '';
  const parsed = digestBodySchema.safeParse(parseJson(stored.bytes));
  if (!parsed.success) {
    const reason = parsed.error.issues[0]?.message ?? 'invalid';
    problems.push({ kind: 'signature-invalid', key, message: `not a readable digest (${reason})` });
    return node(record?.periodStart ?? periodEnd, { sha256, signature });
  }
  const body = parsed.data;
  if (body.periodEnd !== periodEnd)
    problems.push({
      kind: 'signature-invalid',
      key,
      message: `its period ends ${body.periodEnd}, not as its key says`,
    });
  problems.push(...signatureProblems(key, body, sha256, signature, trusted));
  problems.push(...recordProblems(key, record, sha256, signature));
  return node(body.periodStart, { sha256, signature, body });
}

/** The digest's signature, by a trusted key, over its signing input. */
function signatureProblems(
  key: string,
  body: DigestBody,
  sha256: string,
  signature: string,
  trusted: ReadonlyMap<string, KeyObject>,
): ChainProblem[] {
  const publicKey = trusted.get(body.keyFingerprint);
  if (!publicKey) {
    const message = `signed by ${body.keyId} (fingerprint ${body.keyFingerprint}), which is not a trusted key`;
    return [{ kind: 'unknown-key', key, message }];
  }
  if (!/^[0-9a-f]+$/.test(signature))
    return [{ kind: 'signature-invalid', key, message: 'the object carries no signature' }];
  const input = signingInput(body.periodEnd, key, sha256, body.previousDigestSignature);
  if (verifySignature(publicKey, Buffer.from(input, 'utf8'), Buffer.from(signature, 'hex'))) return [];
  const message = `the signature does not match its content (SHA-256 ${sha256}) under key ${body.keyFingerprint.slice(0, 16)}…`;
  return [{ kind: 'signature-invalid', key, message }];
}

/** The index's record of the digest must exist and name the same bytes and signature. */
function recordProblems(
  key: string,
  record: DigestRecord | undefined,
  sha256: string,
  signature: string,
): ChainProblem[] {
  if (!record)
    return [
      { kind: 'chain-broken', key, message: 'the object is in storage but the index has no record of it' },
    ];
  if (record.sha256 !== sha256 || record.signature !== signature) {
    const message = `the index recorded SHA-256 ${record.sha256} and another signature: the object was replaced`;
    return [{ kind: 'chain-broken', key, message }];
  }
  return [];
}

/** The digest must name the one before it by key, SHA-256 and signature. */
async function checkLink(
  storage: DigestStorage,
  node: Node,
  previous: Node | undefined,
  gapReported: boolean,
): Promise<void> {
  const body = node.body;
  if (!body || body.previousDigestKey === null) return;
  let expected: { sha256?: string; signature?: string } | undefined = previous;
  if (!previous || previous.key !== body.previousDigestKey) {
    // The previous digest lies outside the range (or a gap was already reported): look it up directly.
    const stored = await storage.readDigest(body.previousDigestKey);
    if (!stored) {
      if (!previous && !gapReported)
        node.period.problems.push({
          kind: 'digest-missing',
          key: body.previousDigestKey,
          message: `the previous digest ${body.previousDigestKey} that this digest names is gone`,
        });
      return;
    }
    expected = { sha256: sha256Hex(stored.bytes), signature: stored.metadata.signature ?? '' };
    if (previous && previous.key !== body.previousDigestKey) {
      node.period.problems.push({
        kind: 'chain-broken',
        key: node.key,
        message: `names ${body.previousDigestKey} as previous, but the digest before it is ${previous.key}`,
      });
    }
  }
  if (expected?.sha256 !== undefined && expected.sha256 !== body.previousDigestSha256) {
    node.period.problems.push({
      kind: 'chain-broken',
      key: node.key,
      message: `recorded SHA-256 ${body.previousDigestSha256} for ${body.previousDigestKey}, which now hashes to ${expected.sha256}`,
    });
  }
  if (expected?.signature !== undefined && expected.signature !== body.previousDigestSignature) {
    node.period.problems.push({
      kind: 'chain-broken',
      key: node.key,
      message: `recorded another signature for ${body.previousDigestKey} than the one it carries`,
    });
  }
}
