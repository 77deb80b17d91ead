import { sha256Hex } from '../../core/canonical.ts';

/**
 * A webhook as recorded in evidence: where it delivers and how. Only the scheme and host are kept: Slack,
 * Discord and Teams hook paths are the credential, query strings and user info may be, and evidence is
 * write-once. A hash of the path and query tells hooks to one host apart without revealing them.
 */
export interface WebhookSnapshot {
  readonly id: number;
  readonly active: boolean;
  /** Scheme and host only, e.g. `https://hooks.slack.com`. */
  readonly url: string;
  /** The first 16 hex digits of the SHA-256 of the URL's path and query; null when the URL does not parse. */
  readonly pathSha256: string | null;
  readonly https: boolean;
  /** GitHub verifies the receiver's TLS certificate (`insecure_ssl` is "0"). */
  readonly tlsVerified: boolean;
  /** A signing secret is set (GitHub shows it masked). */
  readonly secretSet: boolean;
  readonly events: readonly string[];
}

interface HookConfig {
  url?: string;
  insecure_ssl?: string | number;
  secret?: string;
}

export function toWebhook(hook: {
  id: number;
  active: boolean;
  events?: string[];
  config: HookConfig;
}): WebhookSnapshot {
  const raw = hook.config.url ?? '';
  let url = '(not a URL)';
  let pathSha256: string | null = null;
  let https = false;
  try {
    const parsed = new URL(raw);
    url = `${parsed.protocol}//${parsed.host}`;
    pathSha256 = sha256Hex(`${parsed.pathname}${parsed.search}`).slice(0, 16);
    https = parsed.protocol === 'https:';
  } catch {
    // Not a URL: nothing of it is kept.
  }
  return {
    id: hook.id,
    active: hook.active,
    url,
    pathSha256,
    https,
    tlsVerified: String(hook.config.insecure_ssl ?? '0') === '0',
    secretSet: typeof hook.config.secret === 'string' && hook.config.secret.length > 0,
    events: hook.events ?? [],
  };
}

/** Why a webhook is unsafe, or undefined when it is fine. */
export function webhookProblem(hook: WebhookSnapshot): string | undefined {
  const problems = [
    hook.https ? '' : 'not https',
    hook.tlsVerified ? '' : 'TLS verification off',
    hook.secretSet ? '' : 'no secret',
  ].filter(Boolean);
  return problems.length ? `hook ${hook.id} → ${hook.url}: ${problems.join(', ')}` : undefined;
}
