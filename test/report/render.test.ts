import { describe, expect, it } from 'vitest';
import { reportData } from '../../core/report/html/data.ts';
import { renderReport } from '../../core/report/html/render.ts';
import { controls, EVIDENCE_KEYS, reportInput, states } from './fixtures.ts';

const HOSTILE = `"><script>alert(1)</script><img src=x onerror=alert(2)>`;

describe('renderReport', () => {
  it('is one document that can make no request: a CSP forbidding every fetch, no src or external stylesheet', () => {
    const page = renderReport(reportData(reportInput()));
    expect(page.startsWith('<!doctype html><html lang="en">')).toBe(true);
    expect(page).toContain(
      `content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'`,
    );
    expect(page).not.toMatch(/\ssrc=/i);
    expect(page).not.toMatch(/<link\b/i);
    expect(page).not.toMatch(/url\(/i);
    expect(page).not.toMatch(/@import/i);
  });

  it('renders every control once, with its filter attributes', () => {
    const page = renderReport(reportData(reportInput()));
    for (const c of controls) expect(page.split(`id="control-${c.id}"`)).toHaveLength(2);
    expect(page).toContain(
      'id="control-IAM-01" data-status="failing" data-severity="critical low" data-owner="cloud-security" data-framework="soc2 iso27001" data-source="aws"',
    );
  });

  it('escapes every value from a source: resource ids, reasons, owners, evidence keys', () => {
    const hostile = states.map((s) =>
      s.control === 'IAM-01'
        ? {
            ...s,
            failing: [{ check: 't.root-mfa', resource: HOSTILE, status: 'fail' as const, reason: HOSTILE }],
          }
        : s,
    );
    const page = renderReport(
      reportData(
        reportInput({
          states: hostile,
          owners: { 'cloud-security': [{ name: HOSTILE, email: 'a@example.com' }] },
          store: HOSTILE,
        }),
      ),
    );
    expect(page).not.toContain('<script>alert');
    expect(page).not.toContain('<img');
    expect(page).toContain('&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    // The only script is the report's own.
    expect(page.match(/<script>/g)).toHaveLength(1);
  });

  it('links evidence only where the file sits beside the report (an archive), otherwise names the key', () => {
    const plain = renderReport(reportData(reportInput()));
    expect(plain).not.toContain(`href="${EVIDENCE_KEYS.iam}"`);
    expect(plain).toContain(`<li class="key">${EVIDENCE_KEYS.iam}</li>`);
    const archived = renderReport(reportData(reportInput({ evidenceLinks: new Set([EVIDENCE_KEYS.iam]) })));
    expect(archived).toContain(`<a class="key" href="${EVIDENCE_KEYS.iam}">`);
    expect(archived).not.toContain(`href="${EVIDENCE_KEYS.gh}"`);
  });

  it('shows a failing finding with its reason, remediation and console link', () => {
    const page = renderReport(reportData(reportInput()));
    const finding = page.slice(page.indexOf('<details class="finding">'));
    expect(finding).toMatch(
      /root user has no MFA device.*Assign an MFA device to root\..*href="https:\/\/console\.aws\.amazon\.com\/iam\/home#\/security_credentials"/s,
    );
  });

  it('draws the trend as a step line broken on days without evidence', () => {
    const page = renderReport(reportData(reportInput()));
    expect(page).toContain('<path d="M0 50.0H1V50.0H2V50.0H3V50.0H4M6 100.0H7V100.0H8V100.0H9V100.0H10"/>');
    expect(page).toContain('2 days without evidence');
  });

  it('is the same bytes for the same data', () => {
    expect(renderReport(reportData(reportInput()))).toBe(renderReport(reportData(reportInput())));
  });
});
