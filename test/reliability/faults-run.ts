/**
 * Collection through injected faults: the real SDKs and clients talk to moto_server and the GitHub, Okta,
 * Entra ID (Microsoft Graph) and Google Workspace stand-ins through seeded fault proxies, each failing as its
 * vendor documents. One collection without faults is the reference; the same
 * collection with faults (and once more, at the same instant) must lose no artifact, duplicate none, and
 * record every call it could not complete as an error artifact naming the call. Shared by the test (a short
 * slice) and bench/faults.ts (every collector, several seeds).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { awsConnector } from '../../collectors/aws/connector.ts';
import { runnableCollectors as registry } from '../../collectors/collect.ts';
import { githubConnector, policyOf, sessionFor } from '../../collectors/github/connector.ts';
import { entraSession } from '../../collectors/identity/entra/session.ts';
import { googleSession } from '../../collectors/identity/google/session.ts';
import { oktaConnector } from '../../collectors/identity/okta/connector.ts';
import { DEFAULT_CONTROLS_PATH, loadControls } from '../../controls/catalog.ts';
import type { AnyRunnableCollector } from '../../core/collector.ts';
import type { ArtifactRef, Control } from '../../core/model.ts';
import { type CollectionTarget, checkIndex, collectTargets, evaluateStore } from '../../core/pipeline.ts';
import { LocalStore } from '../../core/stores/local-store.ts';
import { startGitHubStandIn } from '../../demo/github-stand-in.ts';
import { startOktaDemo } from '../../demo/identity-demo.ts';
import { caPolicy, type EntraSeed, startEntraStandIn } from '../../demo/identity-stand-ins/entra.ts';
import { type GoogleSeed, startGoogleStandIn } from '../../demo/identity-stand-ins/google.ts';
import { emulatorEnv } from '../../demo/moto.ts';
import { seedDemoAccount } from '../../demo/seed-aws.ts';
import { acmeSeed, DEMO_GITHUB_ORG, DEMO_GITHUB_TOKEN } from '../../demo/seed-github.ts';
import {
  FAULT_KINDS,
  type FaultKind,
  type FaultProxy,
  startFaultProxy,
  type Vendor,
} from '../support/fault-proxy.ts';

export interface FaultRunOptions {
  /** moto_server's endpoint (reset and seeded here). */
  readonly motoEndpoint: string;
  readonly seed: number;
  /** Fraction of calls faulted in the faulted runs (≥ 0.2 for the figures). */
  readonly rate: number;
  /** Collector ids to run; default every AWS, GitHub, Okta, Entra ID and Google Workspace collector. */
  readonly collectors?: readonly string[];
  /** How long a `timeout` fault stalls before the connection drops. */
  readonly stallMs?: number;
  /** The collection clock of every run. */
  readonly at: Date;
}

export interface FaultRunReport {
  /** Calls, faults and retries of each vendor's proxy (aws, github, okta, entra, google). */
  readonly vendors: readonly VendorCounts[];
  readonly calls: number;
  readonly faults: Record<FaultKind, number>;
  readonly retries: number;
  /** Artifacts the faulted runs stored. */
  readonly artifacts: number;
  /** Complete collections of the reference run (ok, no gap): each must be found with the same hash. */
  readonly compared: number;
  /**
   * Each collection that succeeded without faults but not with them (no artifact of the same hash), with what
   * was recorded instead: an error artifact or a gap names the call; OTHER CONTENT or NOTHING is a defect.
   */
  readonly lost: string[];
  /** Index records or transitions recorded twice. */
  readonly duplicated: string[];
  /** Error artifacts of the faulted runs: `collector scope: operation code`. */
  readonly errors: string[];
  /** Error artifacts that do not name the call that failed. */
  readonly unnamed: string[];
  /** Error artifacts of the reference run (calls the emulators do not serve). */
  readonly baselineErrors: string[];
  /** Reference snapshots with a part the emulators do not serve. */
  readonly baselineGaps: string[];
  /** The faults as `KIND METHOD path`, in arrival order. */
  readonly faultLog: string[];
}

export interface VendorCounts {
  readonly vendor: string;
  readonly calls: number;
  readonly faults: number;
  readonly retries: number;
}

const SOURCES = ['aws', 'github', 'okta', 'entra', 'google'];
const TENANT = 'contoso.example';
const GOOGLE_ADMIN = 'admin@acme.example';

/** A tenant whose lists page (two items a page), with an administrator and a Conditional Access policy. */
const entraSeed = (at: Date): EntraSeed => {
  const ago = (days: number) => new Date(at.getTime() - days * 86_400_000).toISOString();
  const user = (id: string, name: string, signIn: number, methods: string[]) => ({
    id,
    userPrincipalName: `${name}@${TENANT}`,
    accountEnabled: true,
    createdDateTime: ago(400),
    lastSignInDateTime: ago(signIn),
    mfa: { capable: methods.length > 0, methods },
  });
  return {
    tenantId: TENANT,
    clientId: 'proofline-reader',
    clientSecret: 'fault-run-secret',
    maxPageSize: 2,
    users: [
      user('u1', 'adele', 1, ['microsoftAuthenticatorPush']),
      user('u2', 'brian', 3, []),
      user('u3', 'carol', 90, ['fido2']),
      user('u4', 'dan', 2, ['softwareOneTimePasscode']),
    ],
    roles: [
      {
        id: 'r1',
        displayName: 'Global Administrator',
        roleTemplateId: '62e90394-69f5-4237-9190-012177145e10',
        memberIds: ['u1', 'u2'],
      },
    ],
    policies: [caPolicy('p1', 'Require MFA for everyone', { includeUsers: ['All'] })],
  };
};

/** A customer whose users page (two a page). */
const googleSeed = (at: Date): GoogleSeed => ({
  adminEmail: GOOGLE_ADMIN,
  maxPageSize: 2,
  users: ['admin', 'bea', 'cy', 'dee', 'eve'].map((name, i) => ({
    id: String(i + 1),
    primaryEmail: `${name}@acme.example`,
    isAdmin: i === 0,
    isEnrolledIn2Sv: i !== 3,
    isEnforcedIn2Sv: i < 2,
    lastLoginTime: new Date(at.getTime() - (i + 1) * 86_400_000).toISOString(),
    creationTime: '2025-01-01T00:00:00.000Z',
  })),
});

/** One reference and two faulted collections of the seeded account, organization and Okta org. */
export async function runFaultCollection(options: FaultRunOptions): Promise<FaultRunReport> {
  const saved = { ...process.env };
  const controls = await loadControls(DEFAULT_CONTROLS_PATH, new Set(checkIndex(registry).keys()));
  await fetch(`${options.motoEndpoint}/moto-api/reset`, { method: 'POST' });
  Object.assign(process.env, emulatorEnv(options.motoEndpoint));
  await seedDemoAccount();
  const github = await startGitHubStandIn({ ...acmeSeed(options.at), rateLimit: 1_000_000 });
  const okta = await startOktaDemo(options.at);
  const entra = await startEntraStandIn(entraSeed(options.at));
  const google = await startGoogleStandIn(googleSeed(options.at));
  const proxy = (upstream: string, vendor: Vendor, seed: number) =>
    startFaultProxy({
      upstream,
      rate: 0,
      seed,
      vendor,
      stallMs: options.stallMs ?? 1500,
      tls: upstream.startsWith('https:'),
    });
  const proxies: FaultProxy[] = [
    await proxy(options.motoEndpoint, 'aws', options.seed),
    await proxy(github.url, 'http', options.seed + 1),
    await proxy(okta.url, 'http', options.seed + 2),
    await proxy(entra.url, 'graph', options.seed + 3),
    await proxy(google.url, 'google', options.seed + 4),
  ];
  const [aws, gh, ok, en, go] = proxies as [FaultProxy, FaultProxy, FaultProxy, FaultProxy, FaultProxy];
  const urls = { github: gh.url, okta: ok.url, entra: en, google: go, googleKey: google.serviceAccountKey };
  const dir = await mkdtemp(join(tmpdir(), 'proofline-faults-'));
  try {
    Object.assign(process.env, emulatorEnv(aws.url), okta.env, { GITHUB_TOKEN: DEMO_GITHUB_TOKEN });
    const selected = registry.filter(
      (c) => SOURCES.includes(c.source) && (!options.collectors || options.collectors.includes(c.id)),
    );
    const run = async (name: string, times = 1) => {
      const store = await LocalStore.open(join(dir, name));
      try {
        for (let i = 0; i < times; i++) {
          const targets = await targetsOf(selected, urls, options.at);
          await collectTargets(store, targets, { now: () => options.at });
          await evaluateStore(store, controls as Control[], registry, options.at.toISOString());
        }
        const refs = await store.listArtifacts();
        const errors: string[] = [];
        const gaps = new Set<string>();
        for (const ref of refs) {
          const { artifact } = await store.getArtifact(ref.key);
          if (artifact.status === 'error')
            errors.push(
              `${slotOf(ref)}: ${artifact.error.operation ?? '(no operation)'} ${artifact.error.code}`,
            );
          // A part the collector could not read, recorded in the snapshot (`{unknown}` or a gap).
          else if (/"(unknown|gap)":/.test(JSON.stringify(artifact.snapshot))) gaps.add(ref.key);
        }
        return { refs, transitions: await store.transitions(), errors, gaps };
      } finally {
        await store.close();
      }
    };
    const reference = await run('reference');
    for (const p of proxies) {
      p.setRate(options.rate);
      p.resetCounts();
    }
    const faulted = await run('faulted', 2);
    // A reference collection with a part the emulator cannot serve is no success to lose: under faults the
    // same part fails too, its error told by whichever attempt came last.
    const complete = reference.refs.filter((ref) => ref.status === 'ok' && !reference.gaps.has(ref.key));
    return {
      ...compare(complete, faulted, proxies),
      vendors: ['aws', 'github', 'okta', 'entra', 'google'].map((vendor, i) => {
        const counts = (proxies[i] as FaultProxy).counts;
        const faults = Object.values(counts.faults).reduce((a, b) => a + b, 0);
        return { vendor, calls: counts.calls, faults, retries: counts.retries };
      }),
      baselineErrors: reference.errors,
      baselineGaps: reference.refs.filter((ref) => reference.gaps.has(ref.key)).map(slotOf),
    };
  } finally {
    process.env = saved;
    for (const p of proxies) await p.stop();
    await github.stop();
    await okta.close();
    await entra.close();
    await google.close();
    await rm(dir, { recursive: true, force: true });
  }
}

interface Endpoints {
  readonly github: string;
  readonly okta: string;
  readonly entra: FaultProxy;
  readonly google: FaultProxy;
  readonly googleKey: { client_email: string; private_key: string };
}

/** Fresh sessions for one run (no client state carried over), each on the run's clock. */
async function targetsOf(
  selected: readonly AnyRunnableCollector[],
  urls: Endpoints,
  at: Date,
): Promise<CollectionTarget[]> {
  const of = (source: string) => selected.filter((c) => c.source === source);
  const env = process.env;
  const githubUrl = urls.github;
  const seed = entraSeed(at);
  const entra = entraSession({
    tenantId: TENANT,
    clientId: seed.clientId,
    clientSecret: seed.clientSecret,
    authorityHost: urls.entra.url,
    graphBaseUrl: urls.entra.url,
    ...(urls.entra.ca ? { ca: urls.entra.ca } : {}),
  });
  const google = googleSession({
    serviceAccount: urls.googleKey,
    adminEmail: GOOGLE_ADMIN,
    tokenUrl: `${urls.google.url}/token`,
    apiRootUrl: urls.google.url,
  });
  const githubConfig = githubConnector.schema.parse({
    orgs: [DEMO_GITHUB_ORG],
    baseUrl: githubUrl,
    approvedPublicRepos: ['docs'],
  });
  const session = sessionFor(
    { credential: { kind: 'token', token: DEMO_GITHUB_TOKEN }, baseUrl: githubUrl },
    DEMO_GITHUB_ORG,
    policyOf(githubConfig),
    () => at,
  );
  return [
    ...(of('aws').length ? await awsConnector.targets(of('aws'), { regions: ['us-east-1'] }, { env }) : []),
    ...of('github').map((collector) => ({
      collector,
      scope: { source: 'github' as const, id: DEMO_GITHUB_ORG },
      session,
    })),
    ...(of('okta').length ? await oktaConnector.targets(of('okta'), { orgUrl: urls.okta }, { env }) : []),
    ...of('entra').map((collector) => ({
      collector,
      scope: { source: 'entra' as const, id: TENANT },
      session: entra,
    })),
    ...of('google').map((collector) => ({
      collector,
      scope: { source: 'google' as const, id: 'acme.example' },
      session: google,
    })),
  ];
}

const slotOf = (ref: ArtifactRef) => `${ref.collector} ${ref.scopeKey}`;

function compare(
  reference: readonly ArtifactRef[],
  run: {
    refs: readonly ArtifactRef[];
    transitions: readonly { control: string; from: string | null; to: string; at: string }[];
    errors: string[];
    gaps: ReadonlySet<string>;
  },
  proxies: readonly FaultProxy[],
): Omit<FaultRunReport, 'baselineErrors' | 'baselineGaps' | 'vendors'> {
  const { refs: faulted, transitions } = run;
  const lost: string[] = [];
  const byKey = new Map(faulted.map((ref) => [ref.key, ref]));
  for (const ref of reference) {
    if (byKey.has(ref.key)) continue;
    // What the faulted runs recorded instead: an error artifact, or a snapshot with a part recorded unread.
    const instead = faulted.filter((f) => slotOf(f) === slotOf(ref) && f.key !== ref.key);
    const how = instead.map((f) =>
      f.status === 'error'
        ? 'an error artifact'
        : run.gaps.has(f.key)
          ? 'a snapshot with a gap'
          : 'OTHER CONTENT',
    );
    lost.push(`${slotOf(ref)}: recorded as ${how.join(' and ') || 'NOTHING'}`);
  }
  const duplicated: string[] = [];
  const seen = new Set<string>();
  for (const ref of faulted) {
    const id = `${slotOf(ref)} ${ref.collectedAt} ${ref.sha256}`;
    if (seen.has(id)) duplicated.push(`artifact ${id}`);
    seen.add(id);
  }
  const moves = new Set<string>();
  for (const t of transitions) {
    const id = `${t.control} ${t.from}→${t.to} ${t.at}`;
    if (moves.has(id)) duplicated.push(`transition ${id}`);
    moves.add(id);
  }
  const faults = Object.fromEntries(
    FAULT_KINDS.map((kind) => [kind, proxies.reduce((n, p) => n + p.counts.faults[kind], 0)]),
  ) as Record<FaultKind, number>;
  return {
    calls: proxies.reduce((n, p) => n + p.counts.calls, 0),
    faults,
    retries: proxies.reduce((n, p) => n + p.counts.retries, 0),
    artifacts: faulted.length,
    compared: reference.length,
    lost,
    duplicated,
    errors: run.errors,
    unnamed: run.errors.filter((e) => e.includes('(no operation)')),
    faultLog: proxies.flatMap((p) => p.log),
  };
}

/** The report as the lines the bench prints. */
export function describeFaultRun(report: FaultRunReport, label: string): string[] {
  const injected = Object.values(report.faults).reduce((a, b) => a + b, 0);
  const fresh = report.errors.filter((e) => !report.baselineErrors.includes(e));
  return [
    `${label}: ${report.calls} calls, ${injected} faults (${((100 * injected) / Math.max(1, report.calls)).toFixed(0)}%: ${FAULT_KINDS.map((k) => `${report.faults[k]} ${k}`).join(', ')}), ${report.retries} retries`,
    `  per vendor: ${report.vendors.map((v) => `${v.vendor} ${v.calls} calls, ${v.faults} faults, ${v.retries} retries`).join('; ')}`,
    `  ${report.artifacts} artifacts; of ${report.compared} complete collections without faults, lost ${report.lost.length}, duplicated ${report.duplicated.length}; error artifacts ${fresh.length}${fresh.length ? ` (${fresh.join('; ')})` : ''}, and ${report.baselineErrors.length} as without faults (calls the emulator does not serve: ${report.baselineErrors.join('; ') || 'none'}); ${report.baselineGaps.length} snapshots with a part the emulator does not serve (${report.baselineGaps.join('; ')})`,
    ...report.lost.map((l) => `  LOST ${l}`),
    ...report.duplicated.map((d) => `  DUPLICATED ${d}`),
  ];
}
