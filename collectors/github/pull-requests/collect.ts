import pLimit from 'p-limit';
import * as z from 'zod';
import { DAY_MS } from '../../../core/collector.ts';
import type { Scope } from '../../../core/model.ts';
import { timestamp } from '../../identity/api-error.ts';
import { githubAnswer, listedRepoAnswer } from '../answers.ts';
import { readable } from '../readable.ts';
import type { GitHubSession } from '../session.ts';
import type { MergedPullSnapshot, PullRequestsSnapshot } from './snapshot.ts';

const login = z.looseObject({ login: z.string() }).nullable();
const pullAnswer = z.looseObject({
  number: z.number(),
  title: z.string(),
  user: login,
  merged_at: timestamp.nullable(),
  updated_at: timestamp,
});
const reviewAnswer = z.looseObject({ user: login, state: z.string() });

/** The latest review of each reviewer decides: a later CHANGES_REQUESTED or DISMISSED cancels an approval. */
function approvers(reviews: readonly { user: { login: string } | null; state: string }[]): string[] {
  const latest = new Map<string, string>();
  for (const r of reviews) {
    if (!r.user || r.state === 'COMMENTED' || r.state === 'PENDING') continue;
    latest.set(r.user.login, r.state);
  }
  return [...latest].filter(([, state]) => state === 'APPROVED').map(([login]) => login);
}

export async function collect(session: GitHubSession, scope: Scope): Promise<PullRequestsSnapshot> {
  const github = await session.client();
  const org = scope.id;
  const until = session.now();
  const since = new Date(until.getTime() - session.policy.lookbackDays * DAY_MS);
  const repos = githubAnswer(
    z.array(listedRepoAnswer),
    await github.paginate(github.rest.repos.listForOrg, { org, type: 'all', per_page: 100 }),
    `GET /orgs/${org}/repos`,
  ).filter((r) => !r.archived || (r.pushed_at && new Date(r.pushed_at) >= since));
  const limit = pLimit(4);
  const repositories = await Promise.all(
    repos.map((repo) =>
      limit(async () => {
        const where = { owner: org, repo: repo.name };
        const defaultBranch = repo.default_branch ?? 'main';
        const request = `GET /repos/${org}/${repo.name}/pulls?state=closed&base=${defaultBranch}`;
        const merged = await readable(request, async () => {
          // Most recently updated first: stop paging once a page is entirely older than the window. Each page
          // is read through its schema before its update times decide whether to page on.
          const closed = await github.paginate(
            github.rest.pulls.list,
            {
              ...where,
              state: 'closed',
              base: defaultBranch,
              sort: 'updated',
              direction: 'desc',
              per_page: 100,
            },
            (response, done) => {
              const page = githubAnswer(z.array(pullAnswer), response.data, request);
              if (page.every((p) => new Date(p.updated_at) < since)) done();
              return page;
            },
          );
          const inWindow = closed.filter(
            (p) => p.merged_at && new Date(p.merged_at) >= since && new Date(p.merged_at) <= until,
          );
          return Promise.all(
            inWindow.map(
              async (p): Promise<MergedPullSnapshot> => ({
                number: p.number,
                title: p.title,
                author: p.user?.login ?? null,
                mergedAt: p.merged_at as string,
                approvers: await readable(
                  `GET /repos/${org}/${repo.name}/pulls/${p.number}/reviews`,
                  async () =>
                    approvers(
                      githubAnswer(
                        z.array(reviewAnswer),
                        await github.paginate(github.rest.pulls.listReviews, {
                          ...where,
                          pull_number: p.number,
                          per_page: 100,
                        }),
                        `GET /repos/${org}/${repo.name}/pulls/${p.number}/reviews`,
                      ),
                    ),
                ),
              }),
            ),
          );
        });
        return {
          name: repo.name,
          defaultBranch,
          merged: merged.ok
            ? { ok: true as const, value: [...merged.value].sort((a, b) => a.number - b.number) }
            : merged,
        };
      }),
    ),
  );
  return {
    org,
    since: since.toISOString(),
    until: until.toISOString(),
    repositories: repositories.sort((a, b) => a.name.localeCompare(b.name)),
  };
}
