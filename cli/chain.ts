import { readFile } from 'node:fs/promises';
import {
  type ChainVerification,
  DEFAULT_SETTLE_SECONDS,
  type PeriodVerification,
  parsePeriod,
  verifyChain,
  writeDueDigests,
} from '../core/digest-chain.ts';
import { publicKeyFingerprint, publicKeyInfo } from '../core/signing.ts';
import { openSigner, openStore, storePublicKey } from '../core/stores/open.ts';
import { UsageError } from './context.ts';

export interface DigestCommandOptions {
  readonly until?: string;
  readonly period?: string;
}

/** `proofline digest`: writes the signed digest of every period that has ended. */
export async function runDigest(
  storeSpec: string,
  options: DigestCommandOptions,
  out: (line: string) => void,
): Promise<void> {
  let periodSeconds: number;
  try {
    periodSeconds = parsePeriod(options.period ?? '1h');
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const store = await openStore(storeSpec);
  try {
    const signer = await openSigner(storeSpec);
    const upTo = options.until ?? new Date(Date.now() - DEFAULT_SETTLE_SECONDS * 1000).toISOString();
    const written = await writeDueDigests(store, signer, { upTo, periodSeconds });
    for (const record of written) out(`wrote ${record.key}  (${record.periodStart} → ${record.periodEnd})`);
    const head = await store.latestDigest();
    const key = await publicKeyInfo(signer);
    out(
      `${written.length} digest${written.length === 1 ? '' : 's'} written; chain head ${head?.key ?? 'none'}; signed by ${key.keyId} (fingerprint ${key.fingerprint})`,
    );
  } finally {
    await store.close();
  }
}

export interface VerifyChainCommandOptions {
  readonly from?: string;
  readonly to?: string;
  readonly publicKey?: string[];
  readonly json?: boolean;
}

/** `proofline verify-chain`: returns the verification; the caller turns problems into the exit code. */
export async function runVerifyChain(
  storeSpec: string,
  options: VerifyChainCommandOptions,
  out: (line: string) => void,
): Promise<ChainVerification> {
  const keys = options.publicKey?.length
    ? await Promise.all(
        options.publicKey.map(async (file) => {
          const pem = await readFile(file, 'utf8').catch(() => {
            throw new UsageError(`cannot read public key file ${file}`);
          });
          try {
            publicKeyFingerprint(pem);
          } catch {
            throw new UsageError(`${file} is not a PEM public key`);
          }
          return pem;
        }),
      )
    : [await storePublicKey(storeSpec)];
  const store = await openStore(storeSpec);
  try {
    const result = await verifyChain(store, keys, {
      ...(options.from ? { from: options.from } : {}),
      ...(options.to ? { to: options.to } : {}),
    });
    if (options.json) out(JSON.stringify(result, null, 2));
    else {
      for (const line of formatChainVerification(result)) out(line);
      out(`trusted keys: ${keys.map((k) => publicKeyFingerprint(k)).join(', ')}`);
    }
    return result;
  } finally {
    await store.close();
  }
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
  const bad = periods.filter((p) => p.problems.length).length;
  lines.push(
    result.ok
      ? `chain valid: ${periods.length} period${periods.length === 1 ? '' : 's'} from ${result.from ?? '(no evidence yet)'} to ${result.to}`
      : `chain INVALID: ${result.problems} problem${result.problems === 1 ? '' : 's'} in ${bad} of ${periods.length} periods`,
  );
  return lines;
}
