/** The GitHub REST stand-in (it lives in demo/ so the demo can serve it too) and helpers for tests. */
import { sessionFor } from '../../../collectors/github/connector.ts';
import {
  DEFAULT_POLICY,
  type GitHubLog,
  type GitHubPolicy,
  type GitHubSession,
} from '../../../collectors/github/session.ts';
import type { AnyCollector } from '../../../core/collector.ts';
import { evaluateArtifact } from '../../../core/evaluate.ts';
import type { Finding, Scope } from '../../../core/model.ts';
import { organization, user } from '../../../demo/github-fixtures.ts';
import type { GitHubStandIn, StandInOrg } from '../../../demo/github-stand-in.ts';

export * from '../../../demo/github-fixtures.ts';
export * from '../../../demo/github-stand-in.ts';

export const TOKEN = 'ghp_test000000000000000000000000000000000';
export const NOW = new Date('2026-11-27T12:00:00Z');
export const ago = (days: number, from = NOW) => new Date(from.getTime() - days * 86_400_000).toISOString();

/** Collects warnings instead of printing them (rate-limit waits are asserted on). */
export function recordingLog(): GitHubLog & { lines: string[] } {
  const lines: string[] = [];
  const push = (m: string) => lines.push(m);
  return { lines, debug: () => {}, info: () => {}, warn: push, error: push };
}

/** A token session against the stand-in, with the test clock. */
export function tokenSession(
  standIn: GitHubStandIn,
  org: string,
  policy: Partial<GitHubPolicy> = {},
  token = TOKEN,
): GitHubSession {
  return sessionFor(
    { credential: { kind: 'token', token }, baseUrl: standIn.url, log: recordingLog() },
    org,
    { ...DEFAULT_POLICY, ...policy },
    () => NOW,
  );
}

export const scopeOf = (org: string): Scope => ({ source: 'github', id: org });

/** Runs a collector's checks on a snapshot as if collected at NOW. */
export function findingsOf(collector: AnyCollector, org: string, snapshot: unknown): Finding[] {
  return evaluateArtifact(collector, {
    collector: collector.id,
    scope: scopeOf(org),
    collectedAt: NOW.toISOString(),
    schemaVersion: 1,
    status: 'ok',
    snapshot,
  });
}

/** An organization with one owner and nothing else, to extend in tests. */
export function emptyOrg(login: string, overrides: Partial<StandInOrg> = {}): StandInOrg {
  return {
    org: organization(login),
    members: [{ user: user(`${login}-owner`), role: 'admin', twoFactor: true }],
    repos: [],
    ...overrides,
  };
}
