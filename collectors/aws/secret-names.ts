/**
 * Finding secrets in free text (EC2 user data, Lambda environment variables) by the *names* they are stored
 * under. Only names ever leave this module: a value is read to decide, never returned.
 */
const SECRET_NAME =
  /(passw(or)?d|passwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credential|auth[_-]?key)/i;

/** Whether a variable or setting name looks like it holds a secret (DB_PASSWORD, stripeApiKey …). */
export const looksSecret = (name: string): boolean => SECRET_NAME.test(name);

/** `NAME=value`, `export NAME="value"`, `NAME: value`, `"name": "value"` — the name is group 1, the value group 2. */
const ASSIGNMENT = /^\s*(?:export\s+|set\s+)?["']?([A-Za-z_][\w.-]*)["']?\s*[:=]\s*(.*)$/;

/**
 * The names under which `text` assigns a non-empty value that looks like a secret, plus markers for secrets
 * recognisable by their shape (an AWS access key id, a PEM private key block). Sorted, without duplicates.
 */
export function secretNamesIn(text: string): string[] {
  const names = new Set<string>();
  for (const line of text.split(/\r?\n/)) {
    const m = ASSIGNMENT.exec(line);
    if (m?.[1] && looksSecret(m[1]) && m[2]?.replace(/["',\s]/g, '') !== '') names.add(m[1]);
  }
  if (/\b(AKIA|ASIA)[A-Z0-9]{16}\b/.test(text)) names.add('(AWS access key id)');
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) names.add('(PEM private key)');
  return [...names].sort();
}
