import type { Context } from 'aws-lambda';
import { logger, withMetrics } from './shared/observability.ts';

export class DigestChainUnavailable extends Error {
  override name = 'DigestChainUnavailable';
}

/**
 * Signs the digests that became due (the hourly digest chain over the evidence written, signed with the KMS
 * signing key). The chain itself belongs to core (`writeDueDigests` with the store's KMS signer); until that
 * is part of this build the function fails loudly on every run — its failures reach the dead-letter queue
 * and its alarm — rather than letting a missing digest pass unnoticed.
 */
export async function handler(_event: unknown, context?: Context): Promise<never> {
  if (context) logger.addContext(context);
  return withMetrics(async () => {
    const error = new DigestChainUnavailable(
      'the signed digest chain (core writeDueDigests) is not part of this build: no digest was written',
    );
    logger.error('digest not written', { error: error.name });
    throw error;
  });
}
