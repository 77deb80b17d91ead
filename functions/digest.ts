import type { Context } from 'aws-lambda';
import { writeDueDigests } from '../core/digest-chain.ts';
import { logger, withMetrics } from './shared/observability.ts';
import { evidenceStore, storeSigner } from './shared/store.ts';

/** Writes lag this far behind the clock, so a digest never closes over a period still being written. */
const SETTLE_MS = 60_000;

/**
 * Signs the digests that became due: each hourly period's digest lists every artifact written in it and is
 * signed with the KMS key over a signing input that carries the previous digest's signature. Safe to repeat:
 * a period already digested is skipped.
 */
export async function handler(
  event: { readonly upTo?: string } | undefined,
  context?: Context,
): Promise<{ written: string[]; head?: string }> {
  if (context) logger.addContext(context);
  return withMetrics(async () => {
    const store = await evidenceStore();
    // The schedule sends no time; an operator may pass `upTo` to close periods up to a given moment.
    const upTo = event?.upTo ?? new Date(Date.now() - SETTLE_MS).toISOString();
    const written = await writeDueDigests(store, await storeSigner(), { upTo });
    const head = written.at(-1)?.key;
    logger.info('digests written', { count: written.length, head });
    return { written: written.map((r) => r.key), ...(head ? { head } : {}) };
  });
}
