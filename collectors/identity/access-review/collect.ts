import type { Scope } from '../../../core/model.ts';
import type { EvidenceStore } from '../../../core/stores/store.ts';
import { issueLine } from '../../../core/validate.ts';
import { githubMembersSchema } from './github.ts';
import type { IdentityMap } from './identity-map.ts';
import { buildAccessReview, REVIEW_SOURCES, type ReviewInputs } from './review.ts';
import type { AccessReviewSnapshot, ReviewSource } from './snapshot.ts';

/** What the review reads: the evidence store, and the validated identity map with where it came from. */
export interface AccessReviewSession {
  readonly store: EvidenceStore;
  readonly identityMap: IdentityMap;
  readonly identityMapSource: { readonly file: string; readonly sha256: string } | null;
}

export const permissions = ['read access to the evidence store (no API calls)'];

/** Reads the newest artifact of every input collector × scope in the store and joins them. */
export async function collect(session: AccessReviewSession, _scope: Scope): Promise<AccessReviewSnapshot> {
  const sources: ReviewSource[] = [];
  const gaps: string[] = [];
  const notCollected: string[] = [];
  const inputs = { okta: [], entra: [], google: [], identityCenter: [], awsIam: [], github: [] } as {
    -readonly [K in keyof ReviewInputs]: { scope: string; snapshot: unknown }[];
  };
  for (const input of Object.keys(REVIEW_SOURCES) as (keyof ReviewInputs)[]) {
    const { collector } = REVIEW_SOURCES[input];
    const refs = await session.store.latestArtifacts(collector);
    if (refs.length === 0) notCollected.push(collector);
    for (const ref of refs) {
      sources.push({
        collector,
        scope: ref.scopeKey,
        key: ref.key,
        sha256: ref.sha256,
        collectedAt: ref.collectedAt,
        status: ref.status,
      });
      const { artifact } = await session.store.getArtifact(ref.key);
      const scope = artifact.scope.id;
      if (artifact.status === 'error') {
        gaps.push(
          `${collector} ${ref.scopeKey}: latest collection failed (${artifact.error.code}: ${artifact.error.message})`,
        );
        continue;
      }
      if (input === 'github') {
        // Another collector's snapshot: read only the fields the review needs, and say so when they are absent.
        const parsed = githubMembersSchema.safeParse(artifact.snapshot);
        if (!parsed.success) {
          gaps.push(
            `${collector} ${ref.scopeKey}: unexpected snapshot shape at ${issueLine(parsed.error.issues[0]!)}`,
          );
          continue;
        }
        inputs.github.push({ scope, snapshot: parsed.data });
        continue;
      }
      inputs[input].push({ scope, snapshot: artifact.snapshot });
    }
  }
  // Our own collectors' snapshots are read as the types they were written with (schemaVersion 1).
  return buildAccessReview(inputs as unknown as ReviewInputs, session.identityMap, {
    sources,
    notCollected,
    gaps,
    identityMap: session.identityMapSource,
  });
}
