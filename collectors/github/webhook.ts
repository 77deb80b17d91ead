/** A webhook as recorded in evidence: where it delivers (without query string or credentials) and how. */
export interface WebhookSnapshot {
  readonly id: number;
  readonly active: boolean;
  /** Scheme, host and path only: query strings and user info may carry secrets. */
  readonly url: string;
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
  let url = raw;
  let https = false;
  try {
    const parsed = new URL(raw);
    url = `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
    https = parsed.protocol === 'https:';
  } catch {
    url = '(not a URL)';
  }
  return {
    id: hook.id,
    active: hook.active,
    url,
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
