import { readFile, writeFile } from 'node:fs/promises';
import { dirname, relative, resolve, sep } from 'node:path';
import type { AccessReviewSession } from '../collectors/identity/access-review/collect.ts';
import { accessReviewCsv } from '../collectors/identity/access-review/csv.ts';
import { EMPTY_IDENTITY_MAP, type IdentityMap } from '../collectors/identity/access-review/identity-map.ts';
import {
  IdentityMapError,
  parseIdentityMap,
} from '../collectors/identity/access-review/identity-map-file.ts';
import { ACCESS_REVIEW_SCOPE, accessReview } from '../collectors/identity/access-review/index.ts';
import type { AccessReviewSnapshot } from '../collectors/identity/access-review/snapshot.ts';
import { collectors } from '../collectors/index.ts';
import { sha256Hex } from '../core/canonical.ts';
import { EXIT, UsageError } from '../core/errors.ts';
import { evaluateArtifact } from '../core/evaluate.ts';
import type { Artifact, ArtifactRef, Finding } from '../core/model.ts';
import { collectArtifact, collectTargets, evaluateStore } from '../core/pipeline.ts';
import { type CliContext, type CommandEnv, withContext } from './context.ts';

export const DEFAULT_IDENTITY_MAP = 'governance/identity-map.yaml';

export interface AccessReviewOptions {
  /** Where to write the CSV report ('-' for standard output). */
  readonly csv?: string;
  readonly identityMap?: string;
  /** Store the review as evidence and re-evaluate the controls. Default: only show it. */
  readonly record?: boolean;
  readonly now?: () => Date;
}

export interface AccessReviewRun {
  /** The stored review; absent when it was only shown. */
  readonly ref?: ArtifactRef;
  readonly review: AccessReviewSnapshot | undefined;
  readonly findings: readonly Finding[];
  readonly error?: string;
}

/**
 * The identity map: a named file must exist; the default one may be absent (then no usernames are mapped).
 * Its path is kept relative to the config file's folder: evidence names no path of the machine.
 */
async function loadIdentityMap(
  file: string | undefined,
  configFile: string,
): Promise<{ map: IdentityMap; source: AccessReviewSession['identityMapSource'] }> {
  const path = file ?? DEFAULT_IDENTITY_MAP;
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    if (!file && (error as NodeJS.ErrnoException).code === 'ENOENT')
      return { map: EMPTY_IDENTITY_MAP, source: null };
    throw new UsageError(`cannot read identity map ${path}: ${(error as Error).message}`);
  }
  try {
    const shown = relative(dirname(resolve(configFile)), resolve(path))
      .split(sep)
      .join('/');
    return {
      map: parseIdentityMap(bytes.toString('utf8'), path),
      source: { file: shown, sha256: sha256Hex(bytes) },
    };
  } catch (error) {
    if (error instanceof IdentityMapError) throw new UsageError(error.message);
    throw error;
  }
}

/**
 * Builds the access review from the evidence in the store and evaluates its checks. With `record`, stores it
 * as an artifact (so the review itself is evidence) and re-evaluates the controls; recording refuses an
 * identity map that maps nobody, whose review would report every unmatched account as orphaned.
 */
export async function runAccessReview(
  ctx: CliContext,
  options: AccessReviewOptions = {},
): Promise<AccessReviewRun> {
  const { map, source } = await loadIdentityMap(options.identityMap, ctx.configFile);
  if (options.record && map.people.length === 0 && map.serviceAccounts.length === 0)
    throw new UsageError(
      `the identity map ${source?.file ?? DEFAULT_IDENTITY_MAP} maps no person or service account; fill it in before --record (without it every account not matched by e-mail is reported orphaned)`,
    );
  const session: AccessReviewSession = { store: ctx.store, identityMap: map, identityMapSource: source };
  const target = { collector: accessReview, scope: ACCESS_REVIEW_SCOPE, session };
  const now = options.now ?? (() => new Date());
  let ref: ArtifactRef | undefined;
  let artifact: Artifact;
  let findings: readonly Finding[];
  if (options.record) {
    const [outcome] = await collectTargets(ctx.store, [target], { now });
    if (!outcome) throw new Error('access review produced no outcome');
    ({ ref, findings } = outcome);
    artifact = (await ctx.store.getArtifact(outcome.ref.key)).artifact;
    await evaluateStore(ctx.store, ctx.controls, collectors, now().toISOString());
  } else {
    artifact = await collectArtifact(target, now());
    findings = evaluateArtifact(accessReview, artifact);
  }
  const stored = ref ? { ref } : {};
  if (artifact.status === 'error')
    return { ...stored, review: undefined, findings: [], error: artifact.error.message };
  const review = artifact.snapshot as AccessReviewSnapshot;
  if (options.csv && options.csv !== '-') await writeFile(options.csv, accessReviewCsv(review));
  return { ...stored, review, findings };
}

/**
 * The human summary: counts per system, orphaned access, admins without MFA, gaps, and the evidence key; or
 * the CSV itself when it goes to standard output.
 */
export function formatAccessReview(run: AccessReviewRun, csv?: string): string {
  const { review } = run;
  if (!review)
    return `access review FAILED${run.ref ? ` (recorded as an error artifact ${run.ref.key})` : ''}: ${run.error}`;
  if (csv === '-') return accessReviewCsv(review).trimEnd();
  const lines: string[] = [];
  const systems = new Map<string, number>();
  for (const a of review.accounts) systems.set(a.system, (systems.get(a.system) ?? 0) + 1);
  lines.push(
    `Access review: ${review.people.length} people, ${review.accounts.length} accounts (${[...systems].map(([s, n]) => `${s} ${n}`).join(', ') || 'none'})`,
  );
  if (review.notCollected.length)
    lines.push(`Not in the store, so not reviewed: ${review.notCollected.join(', ')}`);
  lines.push('', `Orphaned access (${review.orphaned.length}):`);
  for (const o of review.orphaned) lines.push(`  ORPHANED  ${o.reason}`);
  if (review.orphaned.length === 0) lines.push('  none');
  const noMfa = review.adminsWithoutMfa.filter((a) => a.withoutMfa.length > 0);
  lines.push('', `Admins without MFA (${noMfa.length}):`);
  for (const a of noMfa)
    lines.push(
      `  NO MFA    ${a.who}: admin in ${a.adminIn.join('; ')}; no MFA on ${a.withoutMfa.join(', ')}`,
    );
  if (noMfa.length === 0) lines.push('  none');
  if (review.gaps.length) {
    lines.push('', 'Gaps (inputs that could not be used):');
    for (const g of review.gaps) lines.push(`  GAP       ${g}`);
  }
  lines.push(
    '',
    run.ref ? `Evidence: ${run.ref.key}` : 'Not recorded: pass --record to keep this review as evidence',
  );
  if (csv && csv !== '-') lines.push(`CSV: ${csv}`);
  return lines.join('\n');
}

/** `proofline access-review`: a review that could not be built exits with `EXIT.collectionErrors`. */
export async function accessReviewCommand(
  env: CommandEnv,
  options: { csv?: string; identityMap?: string; record?: boolean },
): Promise<void> {
  await withContext(env.globals(), { readOnly: !options.record }, async (ctx) => {
    const result = await runAccessReview(ctx, options);
    env.out(formatAccessReview(result, options.csv));
    if (!result.review) env.run.exitCode = EXIT.collectionErrors;
  });
}
