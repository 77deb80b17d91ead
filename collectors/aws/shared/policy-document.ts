/**
 * Policy documents, one home: IAM policies (identity, trust, SCP) normalised to statements, and the resource
 * policies of ECR repositories and EFS file systems judged for public access.
 */

/** One statement of an IAM policy document (identity, trust or SCP), normalised: lists always lists. */
export interface StatementSnapshot {
  readonly effect: 'Allow' | 'Deny';
  /** Action, or the actions excluded when `notAction` is true. */
  readonly actions: readonly string[];
  readonly notAction: boolean;
  readonly resources: readonly string[];
  /** Principals of a resource (trust) policy: `*` or ARNs/account ids under AWS, services, federated providers. */
  readonly principals: {
    readonly aws: readonly string[];
    readonly service: readonly string[];
    readonly federated: readonly string[];
  };
  /** Condition keys in the statement, e.g. sts:ExternalId, aws:RequestedRegion. */
  readonly conditionKeys: readonly string[];
}

const list = (value: unknown): string[] =>
  value === undefined ? [] : (Array.isArray(value) ? value : [value]).map(String);

/** One statement of a parsed policy document, normalised. */
function statement(s: RawStatement): StatementSnapshot {
  const principal = s.Principal;
  const p = (key: string) =>
    principal === '*'
      ? key === 'AWS'
        ? ['*']
        : []
      : list((principal as Record<string, unknown> | undefined)?.[key]);
  return {
    effect: s.Effect === 'Deny' ? 'Deny' : 'Allow',
    actions: list(s.Action ?? s.NotAction),
    notAction: s.NotAction !== undefined,
    resources: list(s.Resource ?? s.NotResource),
    principals: { aws: p('AWS'), service: p('Service'), federated: p('Federated') },
    conditionKeys: Object.values((s.Condition ?? {}) as Record<string, Record<string, unknown>>).flatMap(
      (c) => Object.keys(c),
    ),
  };
}

/** IAM returns policy documents URL-encoded (RFC 3986); emulators sometimes send them plain. */
export function parseDocument(text: string | undefined): StatementSnapshot[] {
  if (!text) return [];
  const json = text.trimStart().startsWith('{') ? text : decodeURIComponent(text);
  const doc = JSON.parse(json) as { Statement?: unknown };
  return rawStatements(doc.Statement).map(statement);
}

/** Parses a resource policy returned as a JSON string (ECR, EFS); no policy gives null. */
export const parsePolicy = (text: string | undefined): unknown => (text ? JSON.parse(text) : null);

/**
 * The statements of a parsed resource policy that allow anyone (`"Principal": "*"` or `{"AWS": "*"}`) without
 * a condition narrowing who: the policy makes the resource public. Named by Sid, else by position.
 */
export function publicStatements(policy: unknown): string[] {
  const raw = rawStatements((policy as { Statement?: unknown } | null | undefined)?.Statement);
  return raw.flatMap((r, i) => {
    const s = statement(r);
    return s.effect === 'Allow' && s.principals.aws.includes('*') && s.conditionKeys.length === 0
      ? [typeof r.Sid === 'string' ? r.Sid : `statement ${i + 1}`]
      : [];
  });
}

type RawStatement = Record<string, unknown> & { Principal?: unknown; Condition?: unknown };
const rawStatements = (value: unknown): RawStatement[] =>
  value === undefined ? [] : ((Array.isArray(value) ? value : [value]) as RawStatement[]);

/** IAM action patterns: `*` and `?` wildcards, case-insensitive. */
export const actionMatches = (pattern: string, action: string): boolean =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    'i',
  ).test(action);

/** Whether a statement's action list (or its NotAction complement) covers `action`. */
export const statementCovers = (s: StatementSnapshot, action: string): boolean =>
  s.notAction
    ? !s.actions.some((p) => actionMatches(p, action))
    : s.actions.some((p) => actionMatches(p, action));
