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
 * Text with every control character (colour codes, line breaks and tabs too) replaced by U+FFFD: for values
 * that must stay on one line and drive nothing — an uploaded file's name, a Markdown cell.
 */
export const withoutControls = (text: string): string =>
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
  text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '\uFFFD');

/**
 * The parts of a word that no line breaks: it may break after a slash, colon, underscore, dot or comma, and
 * after a hyphen before a letter (`engineering-` `security`, but never inside a date such as 2026-12-02).
 */
const unbreakable = (word: string): string[] => word.split(/(?<=[/:_.,])|(?<=-)(?=\D)/);

/** A word too long for `width` columns, in lines: its parts packed greedily, a part longer than a line cut. */
function breakWord(word: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (let part of unbreakable(word)) {
    if (line.length + part.length <= width) {
      line += part;
      continue;
    }
    if (line) lines.push(line);
    while (part.length > width) {
      lines.push(part.slice(0, width));
      part = part.slice(width);
    }
    line = part;
  }
  return [...lines, line];
}

/**
 * Word-wraps text to `width` columns, made printable. Lines break between words; a word longer than a line
 * (an ARN, a URL) breaks after a hyphen, slash or colon where it has one, and is cut only where it has none:
 * never dropped. Every table and report line goes through here.
 */
export function wrapText(text: string, width: number): string[] {
  const w = Math.max(1, width);
  const lines: string[] = [];
  let line = '';
  for (const word of printable(text).split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length <= w) {
      line += ` ${word}`;
      continue;
    }
    if (line) lines.push(line);
    const parts = word.length <= w ? [word] : breakWord(word, w);
    lines.push(...parts.slice(0, -1));
    line = parts.at(-1)!;
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

/**
 * Column widths fitting `width`. Columns that fit a fair share keep their natural width; the wide ones share
 * what is left, each at least its longest word so titles and owners wrap between words. When even those do
 * not fit, the widest give way down to their longest part that cannot break (a word breaks after a hyphen,
 * see `wrapText`), and only then are words cut. Room left over goes to the narrowest wide columns first.
 */
function fitWidths(natural: readonly number[], words: readonly Words[], width: number): number[] {
  const room = width - GAP * (natural.length - 1);
  const total = (ids: readonly number[]) => ids.reduce((sum, i) => sum + widths[i]!, 0);
  const widths = [...natural];
  if (total(natural.map((_, i) => i)) <= room) return widths;
  let open = natural.map((_, i) => i);
  let left = room;
  for (;;) {
    const share = Math.floor(left / open.length);
    const fits = open.filter((i) => natural[i]! <= share);
    if (fits.length === 0) break;
    for (const i of fits) left -= natural[i]!;
    open = open.filter((i) => natural[i]! > share);
    if (open.length === 0) return widths;
  }
  const least = (i: number, n: number) => Math.min(natural[i]!, Math.max(MIN_COLUMN, n));
  for (const i of open) widths[i] = least(i, words[i]!.word);
  const shrink = (floor: (i: number) => number) => {
    while (total(open) > left) {
      const candidates = open.filter((i) => widths[i]! > floor(i));
      if (candidates.length === 0) return;
      const widest = candidates.reduce((a, b) => (widths[b]! > widths[a]! ? b : a));
      widths[widest]! -= 1;
    }
  };
  shrink((i) => least(i, words[i]!.part));
  shrink(() => MIN_COLUMN);
  for (let spare = left - total(open); spare > 0; ) {
    const growing = open.filter((i) => widths[i]! < natural[i]!);
    if (growing.length === 0) break;
    const level = Math.min(...growing.map((i) => widths[i]!));
    for (const i of growing.filter((j) => widths[j] === level)) {
      if (spare === 0) break;
      widths[i]! += 1;
      spare -= 1;
    }
  }
  return widths;
}

/** A column's longest word, and its longest part that cannot break. */
interface Words {
  readonly word: number;
  readonly part: number;
}

/** A table's lines per row, at most `width` columns wide (see `formatTable`). */
export function formatRows(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  width: number = PLAIN.width,
): { header: string[]; rows: string[][] } {
  const columns = header.map((h, i) => [h, ...rows.map((r) => printable(r[i] ?? ''))]);
  const natural = columns.map((cells) => Math.max(...cells.map((c) => c.length)));
  const words = columns.map((cells): Words => {
    const all = cells.flatMap((c) => c.split(/\s+/));
    return {
      word: Math.max(...all.map((w) => w.length)),
      // A word no longer than the longest part so far cannot hold a longer one: only those are split.
      part: all.reduce(
        (longest, w) =>
          w.length <= longest ? longest : Math.max(longest, ...unbreakable(w).map((p) => p.length)),
        0,
      ),
    };
  });
  const widths = fitWidths(natural, words, width);
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
 * Free-form report lines fitted to `width`, made printable: a longer line wraps, its continuation indented two
 * columns past the line's own indentation.
 */
export function fitLines(text: string, width: number = PLAIN.width): string {
  return text
    .split('\n')
    .flatMap((line) => {
      if (visibleLength(line) <= width) return [printable(line)];
      const indent = /^ */.exec(line)![0];
      return hanging(line.slice(indent.length), width, indent, `${indent}  `);
    })
    .join('\n');
}
