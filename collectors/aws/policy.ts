/** Reading resource policies (ECR repository policies, EFS file system policies). */
interface Statement {
  readonly Sid?: string;
  readonly Effect?: string;
  readonly Principal?: unknown;
  readonly Condition?: unknown;
}

const everyone = (principal: unknown): boolean => {
  if (principal === '*') return true;
  const aws = (principal as { AWS?: unknown } | null | undefined)?.AWS;
  return aws === '*' || (Array.isArray(aws) && aws.includes('*'));
};

/**
 * The statements of a policy document that allow anyone (`"Principal": "*"` or `{"AWS": "*"}`) without a
 * condition narrowing who: the policy makes the resource public. Named by Sid, else by position.
 */
export function publicStatements(policy: unknown): string[] {
  const raw = (policy as { Statement?: Statement | Statement[] } | null | undefined)?.Statement ?? [];
  const statements = ([] as Statement[]).concat(raw);
  return statements.flatMap((s, i) =>
    s.Effect === 'Allow' &&
    everyone(s.Principal) &&
    (s.Condition === undefined || Object.keys(s.Condition as object).length === 0)
      ? [s.Sid ?? `statement ${i + 1}`]
      : [],
  );
}

/** Parses a policy document returned as a JSON string; undefined stays undefined (no policy). */
export const parsePolicy = (text: string | undefined): unknown => (text ? JSON.parse(text) : null);
