import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatAccessReview, runAccessReview } from '../cli/access-review.ts';
import type { CliContext } from '../cli/context.ts';
import { DAY_MS } from '../core/collector.ts';
import type { StandIn } from './identity-stand-ins/http-stand-in.ts';
import {
  accessPolicyRule,
  passwordSettings,
  signOnRule,
  startOktaStandIn,
} from './identity-stand-ins/okta.ts';

const TOKEN = 'demo-okta-api-token';
/** The demo's identity map; written next to the demo store, so the review records the file it used. */
export const DEMO_IDENTITY_MAP = `people:
  - email: alice@acme.example
    accounts:
      aws-iam: [alice]
      github: [alice, alice-acme]
  - email: bob@acme.example
    accounts:
      aws-iam: [bob]
      github: [bob, bob-acme]
serviceAccounts:
  - system: aws-iam
    account: ci-deployer
    owner: platform
    purpose: deploys the application from CI
`;

/**
 * The identity part of the demo: a local Okta org where bob has left (DEPROVISIONED) but is still assigned to
 * apps, while his IAM user (seeded in the AWS account) and, where the store has one, his GitHub membership
 * stay active; carol is an admin without MFA who has not signed in for months.
 */
export async function startOktaDemo(now: Date = new Date()) {
  const daysAgo = (n: number) => new Date(now.getTime() - n * DAY_MS).toISOString();
  const standIn: StandIn = await startOktaStandIn({
    token: TOKEN,
    users: [
      {
        id: '00u1alice',
        login: 'alice@acme.example',
        status: 'ACTIVE',
        created: daysAgo(400),
        lastLogin: daysAgo(1),
        factors: [{ factorType: 'signed_nonce', provider: 'OKTA', status: 'ACTIVE' }],
        roles: ['SUPER_ADMIN'],
        apps: [{ id: '0oagithub', label: 'GitHub Enterprise', status: 'ACTIVE' }],
      },
      {
        id: '00u2bob',
        login: 'bob@acme.example',
        status: 'DEPROVISIONED',
        created: daysAgo(300),
        lastLogin: daysAgo(20),
        apps: [
          { id: '0oagithub', label: 'GitHub Enterprise', status: 'ACTIVE' },
          { id: '0oaaws', label: 'AWS IAM Identity Center', status: 'ACTIVE' },
        ],
      },
      {
        id: '00u3carol',
        login: 'carol@acme.example',
        status: 'ACTIVE',
        created: daysAgo(500),
        lastLogin: daysAgo(120),
        roles: ['ORG_ADMIN'],
      },
    ],
    policies: [
      {
        id: '00ppw',
        type: 'PASSWORD',
        name: 'Default Policy',
        status: 'ACTIVE',
        priority: 1,
        settings: passwordSettings(8, 0, 10),
      },
      {
        id: '00pgs',
        type: 'OKTA_SIGN_ON',
        name: 'Default Policy',
        status: 'ACTIVE',
        priority: 1,
        rules: [signOnRule('0pr1', 'Default Rule', false)],
      },
      {
        id: '00pap',
        type: 'ACCESS_POLICY',
        name: 'Any two factors',
        status: 'ACTIVE',
        priority: 1,
        rules: [accessPolicyRule('0pr2', 'Catch-all Rule', '2FA')],
      },
    ],
  });
  return {
    url: standIn.url,
    env: { OKTA_API_TOKEN: TOKEN },
    /** The context with the Okta org added to the scope statement. */
    inScope: (ctx: CliContext): CliContext => ({
      ...ctx,
      config: { ...ctx.config, scope: { ...ctx.config.scope, okta: { orgUrl: standIn.url } } },
    }),
    /** Runs the access review on the store and prints it (orphaned access first). */
    async review(ctx: CliContext, out: (text: string) => void) {
      const identityMap = join(ctx.store.location, 'identity-map.yaml');
      await writeFile(identityMap, DEMO_IDENTITY_MAP);
      const run = await runAccessReview(ctx, { identityMap, record: true });
      out(formatAccessReview(run).replace(/^(?=.)/gm, '  '));
    },
    close: () => standIn.close(),
  };
}
