import type { ProoflineConfig } from '../core/config.ts';
import { startGitHubStandIn } from './github-stand-in.ts';
import { acmeSeed, DEMO_GITHUB_ORG, DEMO_GITHUB_TOKEN } from './seed-github.ts';

export interface GitHubDemo {
  readonly url: string;
  /** Points the github connector at the stand-in: scope.github in the config, the token in the environment. */
  apply(config: ProoflineConfig, env: NodeJS.ProcessEnv): void;
  stop(): Promise<void>;
}

/** Serves the seeded organization "acme" on a local GitHub REST stand-in for the demo. */
export async function startGitHubDemo(): Promise<GitHubDemo> {
  const standIn = await startGitHubStandIn(acmeSeed());
  return {
    url: standIn.url,
    apply(config, env) {
      config.scope.github = { orgs: [DEMO_GITHUB_ORG], baseUrl: standIn.url, approvedPublicRepos: ['docs'] };
      for (const name of ['GITHUB_APP_ID', 'GITHUB_APP_PRIVATE_KEY', 'GITHUB_APP_INSTALLATION_ID'])
        delete env[name];
      env.GITHUB_TOKEN = DEMO_GITHUB_TOKEN;
    },
    stop: () => standIn.stop(),
  };
}
