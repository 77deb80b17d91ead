/** Where text output goes: how wide it may be, and whether ANSI colour is wanted. */
export interface Terminal {
  readonly width: number;
  readonly color: boolean;
}

/** Output that is piped, or whose width is unknown: 80 columns, no colour. */
export const PLAIN: Terminal = { width: 80, color: false };

/**
 * The terminal of a stream: its width on a TTY (80 when piped or unknown), colour only on a TTY and only
 * when `NO_COLOR` is unset or empty (https://no-color.org).
 */
export function terminalOf(
  stream: { readonly isTTY?: boolean; readonly columns?: number },
  env: Readonly<Record<string, string | undefined>>,
): Terminal {
  const tty = stream.isTTY === true;
  return {
    width: tty && stream.columns && stream.columns >= 20 ? stream.columns : PLAIN.width,
    color: tty && !env.NO_COLOR,
  };
}

const SGR = { red: 31, green: 32, yellow: 33, magenta: 35, bold: 1, dim: 2 } as const;
export type Style = keyof typeof SGR;

/** `text` in the given style on a colour terminal; unchanged otherwise. */
export const paint = (term: Terminal, style: Style, text: string): string =>
  term.color ? `\u001b[${SGR[style]}m${text}\u001b[0m` : text;

/** Printed width of a line: ANSI colour codes take no room. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching the ESC of SGR sequences is the point
export const visibleLength = (text: string): number => text.replace(/\u001b\[[0-9;]*m/g, '').length;

/**
 * Text safe to print: collected values (a reason, a login, a repository name) can carry control characters
 * that a terminal would obey. Line breaks and tabs become spaces, every other control character U+FFFD; only
 * the colour codes `paint` writes are kept.
 */
export const printable = (text: string): string =>
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
  text.replace(/\u001b\[[0-9;]*m|[\t\n\r]|[\u0000-\u001f\u007f-\u009f]/g, (m) =>
    m.length > 1 ? m : /[\t\n\r]/.test(m) ? ' ' : '\uFFFD',
  );

/**
 * Word-wraps text to `width` columns, made printable; words longer than a line (ARNs, URLs) are split, never
 * dropped. Every table and report line goes through here.
 */
export function wrapText(text: string, width: number): string[] {
  const w = Math.max(1, width);
  const lines: string[] = [];
  let line = '';
  for (const word of printable(text).split(/\s+/).filter(Boolean)) {
    let rest = word;
    if (line && line.length + 1 + rest.length <= w) {
      line += ` ${rest}`;
      continue;
    }
    if (line) lines.push(line);
    while (rest.length > w) {
      lines.push(rest.slice(0, w));
      rest = rest.slice(w);
    }
    line = rest;
  }
  lines.push(line);
  return lines;
}

/** `text` wrapped to `width`, the first line after `first`, the following ones after `rest` (a hanging indent). */
export function hanging(
  text: string,
  width: number,
  first: string,
  rest = ' '.repeat(first.length),
): string[] {
  const room = width - Math.max(visibleLength(first), visibleLength(rest));
  return wrapText(text, room).map((l, i) => `${i === 0 ? first : rest}${l}`.trimEnd());
}

const GAP = 2;
const MIN_COLUMN = 6;

/** Column widths fitting `width`: narrow columns keep their width, the wide ones share what is left. */
function fitWidths(natural: readonly number[], width: number): number[] {
  const room = width - GAP * (natural.length - 1);
  if (natural.reduce((a, b) => a + b, 0) <= room) return [...natural];
  const widths = [...natural];
  let open = natural.map((_, i) => i);
  let left = room;
  for (;;) {
    const share = Math.floor(left / open.length);
    const fits = open.filter((i) => natural[i]! <= share);
    if (fits.length === 0) {
      for (const i of open) widths[i] = Math.max(MIN_COLUMN, share);
      return widths;
    }
    for (const i of fits) left -= natural[i]!;
    open = open.filter((i) => natural[i]! > share);
    if (open.length === 0) return widths;
  }
}

/** A table's lines per row, at most `width` columns wide (see `formatTable`). */
export function formatRows(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  width: number = PLAIN.width,
): { header: string[]; rows: string[][] } {
  const natural = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const widths = fitWidths(natural, width);
  const render = (cells: readonly string[]) => {
    const wrapped = header.map((_, i) => wrapText(cells[i] ?? '', widths[i]!));
    const height = Math.max(...wrapped.map((w) => w.length));
    return Array.from({ length: height }, (_, line) =>
      wrapped
        .map((w, i) => (w[line] ?? '').padEnd(i === header.length - 1 ? 0 : widths[i]!))
        .join(' '.repeat(GAP))
        .trimEnd(),
    );
  };
  return { header: render(header), rows: rows.map(render) };
}

/**
 * A text table for terminals, at most `width` columns wide: when the natural table is wider, the widest
 * columns are narrowed and their cells wrapped onto continuation lines — nothing is cut off.
 */
export function formatTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  width: number = PLAIN.width,
): string {
  const table = formatRows(header, rows, width);
  return [...table.header, ...table.rows.flat()].join('\n');
}

/** Status words as printed in tables. */
export const statusLabel = (status: string): string => status.replace(/_/g, ' ').toUpperCase();

/**
 * Free-form report lines fitted to `width`: a longer line wraps, its continuation indented two columns past the
 * line's own indentation.
 */
export function fitLines(text: string, width: number = PLAIN.width): string {
  return text
    .split('\n')
    .flatMap((line) => {
      if (visibleLength(line) <= width) return [line];
      const indent = /^ */.exec(line)![0];
      return hanging(line.slice(indent.length), width, indent, `${indent}  `);
    })
    .join('\n');
}
