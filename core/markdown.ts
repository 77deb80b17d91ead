import { withoutControls } from './report/table.ts';

/**
 * A source value as Markdown text: characters Markdown would read as syntax (tables, emphasis, links, HTML)
 * are escaped, line breaks and tabs become spaces and any other control character U+FFFD (the Markdown is
 * also printed to terminals), so a repository name or a justification shows as written.
 */
export const mdText = (value: unknown): string =>
  withoutControls(String(value ?? '').replace(/[\t\r\n]+/g, ' ')).replace(
    /[\\`*_{}[\]<>()#+!|~]/g,
    (c) => `\\${c}`,
  );

/** A Markdown table; every cell escaped. An empty table says so instead. */
export function mdTable(
  header: readonly string[],
  rows: readonly (readonly unknown[])[],
  empty = 'None.',
): string {
  if (rows.length === 0) return `${empty}\n`;
  const line = (cells: readonly unknown[]) => `| ${cells.map(mdText).join(' | ')} |`;
  return [line(header), `|${header.map(() => '---|').join('')}`, ...rows.map(line), ''].join('\n');
}
