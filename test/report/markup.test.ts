import { describe, expect, it } from 'vitest';
import { escapeHtml, html, raw } from '../../core/report/html/markup.ts';

describe('html template', () => {
  it('escapes every interpolated value, in text and in attributes', () => {
    const name = `<img src=x onerror="alert('x')">&`;
    expect(html`<p title="${name}">${name}</p>`.value).toBe(
      '<p title="&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt;&amp;">&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt;&amp;</p>',
    );
  });

  it('keeps markup made by html or raw, flattens lists and drops null, undefined and false', () => {
    const items = ['a<', 'b'].map((x) => html`<li>${x}</li>`);
    expect(html`<ul>${items}</ul>${null}${undefined}${false}${0}${raw('<br>')}`.value).toBe(
      '<ul><li>a&lt;</li><li>b</li></ul>0<br>',
    );
  });

  it('escapeHtml leaves plain text alone', () => {
    expect(escapeHtml('CC6.1 acme/web')).toBe('CC6.1 acme/web');
  });
});
