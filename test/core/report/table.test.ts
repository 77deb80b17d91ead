import { describe, expect, it } from 'vitest';
import { fitLines, formatTable, paint, terminalOf, wrapText } from '../../../core/report/table.ts';

describe('terminalOf', () => {
  it('uses the TTY width and colour, 80 columns and no colour when piped, and honours NO_COLOR', () => {
    expect(terminalOf({ isTTY: true, columns: 132 }, {})).toEqual({ width: 132, color: true });
    expect(terminalOf({ isTTY: true, columns: 132 }, { NO_COLOR: '1' })).toEqual({
      width: 132,
      color: false,
    });
    expect(terminalOf({ isTTY: true, columns: 132 }, { NO_COLOR: '' })).toEqual({ width: 132, color: true });
    expect(terminalOf({ isTTY: true }, {})).toEqual({ width: 80, color: true });
    expect(terminalOf({}, {})).toEqual({ width: 80, color: false });
  });

  it('paints only on a colour terminal', () => {
    expect(paint({ width: 80, color: true }, 'red', 'FAIL')).toBe('\u001b[31mFAIL\u001b[0m');
    expect(paint({ width: 80, color: false }, 'red', 'FAIL')).toBe('FAIL');
  });
});

describe('formatTable', () => {
  it('wraps a status table at 80 columns between words: no title, owner or date is cut mid-word (at most after a hyphen)', () => {
    const rows = [
      [
        'ACS-04',
        'FAIL',
        'CRITICAL',
        '1/1',
        '2026-12-02 (0d)',
        'cloud-security',
        'Privileged and break-glass access is limited and reviewed',
      ],
      [
        'GH-01',
        'FAIL',
        'CRITICAL',
        '2/4',
        '2026-11-30 (2d)',
        'security-operations',
        'GitHub members sign in with two-factor authentication',
      ],
      [
        'HR-02',
        'MANUAL DUE',
        '-',
        '0/0',
        '-',
        'people-ops',
        'Personnel are background-checked before they join',
      ],
    ];
    const header = ['CONTROL', 'STATUS', 'SEVERITY', 'FAILING', 'SINCE', 'OWNER', 'TITLE'];
    const lines = formatTable(header, rows, 80).split('\n');
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(80);
    const tokens = new Set(lines.flatMap((l) => l.split(/\s+/)));
    // a word wraps whole; only where the columns cannot hold the longest words does one break, after a hyphen
    const pieces = (word: string) => word.split(/(?<=-)/);
    for (const word of rows.flat().flatMap((cell) => cell.split(' ')))
      expect(tokens.has(word) || pieces(word).every((p) => tokens.has(p)), word).toBe(true);
    expect(tokens).toContain('authentication');
    expect(tokens).toContain('2026-12-02');
  });

  it('keeps a table that fits as it is', () => {
    expect(formatTable(['ID', 'TITLE'], [['A-1', 'short']], 80)).toBe('ID   TITLE\nA-1  short');
  });

  it('wraps the widest columns of a wider table onto continuation lines, dropping nothing', () => {
    const title = 'a title long enough that it cannot fit on one line of a narrow terminal at all';
    const arn = 'arn:aws:iam::123456789012:role/a-role-with-a-name-longer-than-the-column';
    const table = formatTable(['CONTROL', 'RESOURCE', 'TITLE'], [['IAM-01', arn, title]], 50);
    const lines = table.split('\n');
    expect(lines.every((l) => l.length <= 50)).toBe(true);
    expect(lines.length).toBeGreaterThan(2);
    expect(lines[1]).toMatch(/^IAM-01 {3}/);
    const column = (start: number, end: number) =>
      lines
        .slice(1)
        .map((l) => l.slice(start, end).trim())
        .join('');
    const resourceStart = lines[0]!.indexOf('RESOURCE');
    const titleStart = lines[0]!.indexOf('TITLE');
    expect(column(resourceStart, titleStart)).toBe(arn);
    expect(column(titleStart, 50).replace(/\s/g, '')).toBe(title.replace(/\s/g, ''));
  });
});

describe('wrapText and fitLines', () => {
  it('splits words longer than the line rather than losing them', () => {
    expect(wrapText('ab abcdefgh', 4)).toEqual(['ab', 'abcd', 'efgh']);
  });

  it('breaks a word too long for the line after a hyphen, slash or colon before cutting it', () => {
    expect(wrapText('owner engineering-security', 12)).toEqual(['owner', 'engineering-', 'security']);
    expect(wrapText('arn:aws:s3:::acme-logs', 10)).toEqual(['arn:aws:', 's3:::acme-', 'logs']);
  });

  it('wraps long report lines with a hanging indent past their own', () => {
    expect(fitLines('  one two three four', 12)).toBe('  one two\n    three\n    four');
    expect(fitLines('short\n  kept', 12)).toBe('short\n  kept');
  });
});

describe('collected values printed to a terminal', () => {
  it('never pass a control sequence through a table or a wrapped line, but keep the colour codes paint writes', () => {
    const hostile = 'evil\u001b]0;pwned\u0007\u001b[2J user\u0000';
    const table = formatTable(['USER', 'REASON'], [[hostile, 'no MFA\r\nfor this user']], 80);
    const controlCodes = [...table].filter((c) => {
      const code = c.charCodeAt(0);
      return code !== 0x0a && (code < 0x20 || code === 0x7f);
    });
    expect(controlCodes).toEqual([]);
    expect(table).toContain('evil\uFFFD]0;pwned\uFFFD\uFFFD[2J user\uFFFD');
    expect(table).toContain('no MFA for this user');
    const red = paint({ width: 80, color: true }, 'red', 'FAIL');
    expect(wrapText(`${red} ${hostile}`, 80)[0]).toContain(red);
    // A report line short enough not to wrap too (`governance` prints collected logins and repositories).
    expect(fitLines(`  ${red} ${hostile}`, 80)).toBe(`  ${red} evil\uFFFD]0;pwned\uFFFD\uFFFD[2J user\uFFFD`);
  });
});
