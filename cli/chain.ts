import { readFile } from 'node:fs/promises';
import {
  type ChainVerification,
  DEFAULT_SETTLE_SECONDS,
  type PeriodVerification,
  parsePeriod,
  verifyChain,
  writeDueDigests,
} from '../core/digest-chain.ts';
import { EXIT, UsageError } from '../core/errors.ts';
import { publicKeyFingerprint, publicKeyInfo, type Signer } from '../core/signing.ts';
import type { DigestRecord } from '../core/stores/digest-storage.ts';
import {
  type ChainedStore,
  openSigner,
  openStore,
  readStoreSnapshot,
  storePublicKey,
} from '../core/stores/open.ts';
import type { CommandEnv } from './context.ts';

export interface DigestCommandOptions {
  readonly until?: string;
  readonly period?: string;
}

/** `proofline digest`: writes the signed digest of every period that has ended. */
export async function runDigest(env: CommandEnv, options: DigestCommandOptions): Promise<void> {
  const { out } = env;
  const storeSpec = env.globals().store;
  let periodSeconds: number;
  try {
    periodSeconds = parsePeriod(options.period ?? '1h');
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const now = new Date();
  const settled = new Date(now.getTime() - DEFAULT_SETTLE_SECONDS * 1000).toISOString();
  if (options.until && options.until > settled)
    throw new UsageError(
      `--until ${options.until} has not passed yet: only periods that ended by ${settled} can be sealed (a digest is final)`,
    );
  const store = await openStore(storeSpec);
  try {
    const signer = await openSigner(storeSpec);
    const written = await sealEndedPeriods(store, signer, {
      upTo: options.until ?? settled,
      periodSeconds,
      now,
    });
    for (const record of written) out(`wrote ${record.key}  (${record.periodStart} → ${record.periodEnd})`);
    out(await describeHead(store, signer, written.length));
  } finally {
    await store.close();
  }
}

/**
 * Writes the digests of every period that ended (by default up to now minus the settle time): what
 * `digest` does, and what `collect` does after storing evidence in the embedded store.
 */
export async function sealEndedPeriods(
  store: ChainedStore,
  signer: Signer,
  options: { upTo?: string; periodSeconds?: number; now?: Date } = {},
): Promise<DigestRecord[]> {
  const now = options.now ?? new Date();
  const upTo = options.upTo ?? new Date(now.getTime() - DEFAULT_SETTLE_SECONDS * 1000).toISOString();
  return writeDueDigests(store, signer, {
    upTo,
    now,
    ...(options.periodSeconds ? { periodSeconds: options.periodSeconds } : {}),
  });
}

/** `N digests written; chain head …; signed by …`. */
export async function describeHead(store: ChainedStore, signer: Signer, written: number): Promise<string> {
  const head = await store.latestDigest();
  const key = await publicKeyInfo(signer);
  return `${written} digest${written === 1 ? '' : 's'} written; chain head ${head?.key ?? 'none'}; signed by ${key.keyId} (fingerprint ${key.fingerprint})`;
}

export interface VerifyChainCommandOptions {
  readonly from?: string;
  readonly to?: string;
  readonly publicKey?: string[];
  readonly json?: boolean;
}

/** `proofline verify-chain`: a chain with problems exits with `EXIT.chainProblems`. */
export async function runVerifyChain(env: CommandEnv, options: VerifyChainCommandOptions): Promise<void> {
  const result = await verifyStoreChain(env.globals().store, options, env.out);
  if (!result.ok) env.run.exitCode = EXIT.chainProblems;
}

async function verifyStoreChain(
  storeSpec: string,
  options: VerifyChainCommandOptions,
  out: (line: string) => void,
): Promise<ChainVerification> {
  if (options.from && options.to && options.from >= options.to)
    throw new UsageError(`--from ${options.from} must be before --to ${options.to}`);
  // The store first: a mistyped --store is named as such, and nothing is created there. A check reads and
  // prints nothing until it is done, so it can start over: the embedded index is read in place.
  const { result, keys } = await readStoreSnapshot(storeSpec, async (store) => {
    const keys = options.publicKey?.length
      ? await Promise.all(options.publicKey.map(readPublicKey))
      : [await storePublicKey(storeSpec)];
    const result = await verifyChain(store, keys, {
      ...(options.from ? { from: options.from } : {}),
      ...(options.to ? { to: options.to } : {}),
    });
    return { result, keys };
  });
  if (options.json) out(JSON.stringify(result, null, 2));
  else {
    for (const line of formatChainVerification(result)) out(line);
    out(`trusted keys: ${keys.map((k) => publicKeyFingerprint(k)).join(', ')}`);
  }
  return result;
}

async function readPublicKey(file: string): Promise<string> {
  const pem = await readFile(file, 'utf8').catch(() => {
    throw new UsageError(`cannot read public key file ${file}`);
  });
  try {
    publicKeyFingerprint(pem);
  } catch {
    throw new UsageError(`${file} is not a PEM public key`);
  }
  return pem;
}

const onlyMissing = (p: PeriodVerification) =>
  p.problems.length === 1 && p.problems[0]?.kind === 'digest-missing';

/** One line per period, its problems indented under it; runs of periods that only lack a digest are folded. */
export function formatChainVerification(result: ChainVerification): string[] {
  const lines: string[] = [];
  const periods = result.periods;
  for (let i = 0; i < periods.length; i++) {
    const p = periods[i]!;
    let j = i;
    while (onlyMissing(p) && j + 1 < periods.length && onlyMissing(periods[j + 1]!)) j++;
    if (j > i + 1) {
      lines.push(
        `${p.periodStart} → ${periods[j]!.periodEnd}  PROBLEM  digest-missing: ${j - i + 1} periods have no digest`,
      );
      i = j;
      continue;
    }
    const verdict = p.problems.length ? 'PROBLEM' : 'valid  ';
    lines.push(
      `${p.periodStart} → ${p.periodEnd}  ${verdict}  ${String(p.artifacts).padStart(5)} artifacts  ${p.digestKey}`,
    );
    for (const problem of p.problems) lines.push(`    ${problem.kind}: ${problem.key}: ${problem.message}`);
  }
  const { uncovered } = result;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  lines.push(
    `${plural(uncovered.artifacts, 'artifact')} not yet covered by a digest (written ${uncovered.from} → ${uncovered.to}), ${
      uncovered.problems.length ? `${plural(uncovered.problems.length, 'problem')}:` : 'all unaltered'
    }`,
  );
  for (const problem of uncovered.problems)
    lines.push(`    ${problem.kind}: ${problem.key}: ${problem.message}`);
  const bad = periods.filter((p) => p.problems.length).length;
  lines.push(
    result.ok
      ? `chain valid: ${plural(periods.length, 'period')} from ${result.from ?? '(no evidence yet)'} to ${result.to}`
      : `chain INVALID: ${plural(result.problems, 'problem')} in ${bad} of ${periods.length} periods${
          uncovered.problems.length
            ? ` and ${uncovered.problems.length} among the artifacts not yet covered`
            : ''
        }`,
  );
  return lines;
}
