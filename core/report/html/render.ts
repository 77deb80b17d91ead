import { DAY_MS } from '../../collector.ts';
import type { Severity } from '../../model.ts';
import { SCRIPT, STYLE } from './assets.ts';
import type { ReportControl, ReportData, ReportFinding, ReportStatus } from './data.ts';
import { SEVERITIES, STATUSES } from './data.ts';
import { html, type Markup, raw } from './markup.ts';
import type { ControlStrip } from './strip.ts';

export const STATUS_LABEL: Record<ReportStatus, string> = {
  failing: 'Failing',
  no_evidence: 'No evidence',
  manual_due: 'Manual evidence due',
  excepted: 'Excepted',
  passing: 'Passing',
  not_evaluated: 'Not evaluated',
};
const CELL_LABEL = {
  passing: 'passing',
  failing: 'failing',
  excepted: 'excepted',
  no_evidence: 'no evidence',
};
const FRAMEWORK_LABEL = { soc2: 'SOC 2', iso27001: 'ISO 27001' } as const;

const day = (iso: string | null) => (iso ? iso.slice(0, 10) : '—');
const pct = (share: number) => `${Math.round(share * 1000) / 10}%`;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * The report as one self-contained HTML document: inline CSS, SVG and script, a Content-Security-Policy that
 * forbids every request, every value from a source escaped. Pure: the same data gives the same bytes.
 */
export function renderReport(data: ReportData): string {
  const title = `Proofline compliance report, ${data.period.from} to ${data.period.to}`;
  return `<!doctype html>${html`<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">
<meta name="generator" content="${data.generator}">
<title>${title}</title><style>${raw(STYLE)}</style></head>
<body><a class="skip" href="#controls">Skip to the controls</a>
<header><h1>Compliance report</h1>
<p>${data.period.from} to ${data.period.to} (${plural(data.period.days.length, 'day')}) · generated ${data.generatedAt.replace('T', ' ').slice(0, 16)} UTC from <span class="key">${data.store}</span></p>
<nav aria-label="Sections"><a href="#overview">Overview</a><a href="#controls">Controls</a><a href="#resources">Failing resources</a><a href="#owners">Owners</a></nav></header>
<main>${overview(data)}${controlsSection(data)}${resourcesSection(data)}${ownersSection(data)}</main>
<footer>Status is as last evaluated; the strips and the trend judge each day of the period from the evidence collected that day. ${data.generator}.</footer>
<script>${raw(SCRIPT)}</script></body></html>`}`;
}

function statusBadge(status: ReportStatus): Markup {
  return html`<span class="badge s-${status}">${STATUS_LABEL[status]}</span>`;
}
function severityBadge(severity: Severity | null): Markup {
  return severity ? html`<span class="sev sev-${severity}">${severity}</span>` : html``;
}
const controlLink = (id: string) => html`<a href="#control-${id}">${id}</a>`;

/** A proportional bar with its numbers spelled out for screen readers and print. */
function bar(parts: readonly { key: string; label: string; n: number }[], what: string): Markup {
  const total = parts.reduce((s, p) => s + p.n, 0) || 1;
  const shown = parts.filter((p) => p.n > 0);
  const text = shown.map((p) => `${p.n} ${p.label.toLowerCase()}`).join(', ');
  return html`<div class="bar" role="img" aria-label="${what}: ${text}">${shown.map(
    (p) => html`<span class="f-${p.key}" style="width:${((p.n / total) * 100).toFixed(2)}%"></span>`,
  )}</div><ul class="legend">${shown.map((p) => html`<li><i class="f-${p.key}"></i>${p.n} ${p.label}</li>`)}</ul>`;
}

function overview(data: ReportData): Markup {
  return html`<section id="overview" aria-labelledby="h-overview"><h2 id="h-overview">Overview</h2>
<div class="cards">${data.frameworks.map((f) => {
    const total = STATUSES.reduce((s, k) => s + f.controls[k], 0);
    const reqs = f.coverage.automated + f.coverage.manual + f.coverage.none;
    return html`<article class="card"><h3>${f.name}</h3>
<p>${plural(total, 'control')}</p>${bar(
      STATUSES.map((k) => ({ key: k, label: STATUS_LABEL[k], n: f.controls[k] })),
      `${f.name} controls by status`,
    )}
<p>${plural(reqs, 'requirement')}: how each is evidenced</p>${bar(
      [
        { key: 'automated', label: 'automated', n: f.coverage.automated },
        { key: 'manual', label: 'manual only', n: f.coverage.manual },
        { key: 'none', label: 'not covered', n: f.coverage.none },
      ],
      `${f.name} requirement coverage`,
    )}</article>`;
  })}</div>
${trendFigure(data)}
<div class="cols">
<div><h3>Top failing resources</h3>${
    data.resources.length
      ? html`<table><thead><tr><th scope="col">Resource</th><th scope="col">Controls</th><th scope="col">Worst</th></tr></thead><tbody>${data.resources
          .slice(0, 10)
          .map(
            (r, i) =>
              html`<tr><td><a href="#resource-${i + 1}" class="key">${r.resource}</a></td><td>${new Set(r.items.map((item) => item.control)).size}</td><td>${severityBadge(r.severity)}</td></tr>`,
          )}</tbody></table>`
      : html`<p class="none">No resource is failing.</p>`
  }</div>
<div><h3>Open items per owner</h3>${
    data.owners.length
      ? html`<table><thead><tr><th scope="col">Owner</th><th scope="col">Failing</th><th scope="col">No evidence</th><th scope="col">Manual due</th></tr></thead><tbody>${data.owners.map(
          (o) => {
            const n = (s: ReportStatus) => o.items.filter((i) => i.status === s).length;
            return html`<tr><td><a href="#owner-${o.role}">${o.role}</a><br><span class="muted">${o.people.map((p) => p.name).join(', ')}</span></td><td>${n('failing')}</td><td>${n('no_evidence') + n('not_evaluated')}</td><td>${n('manual_due')}</td></tr>`;
          },
        )}</tbody></table>`
      : html`<p class="none">Nothing open.</p>`
  }</div>
<div><h3>Manual evidence due</h3>${manualDueTable(data)}</div>
</div></section>`;
}

const MANUAL_ROWS = 12;
function manualDueTable(data: ReportData): Markup {
  if (!data.manualDue.length) return html`<p class="none">No control takes manual evidence.</p>`;
  const overdue = data.manualDue.filter((m) => !m.dueBy || m.dueBy <= data.generatedAt).length;
  return html`<p>${overdue} of ${data.manualDue.length} due now.</p><table><thead><tr><th scope="col">Control</th><th scope="col">Due by</th><th scope="col">Last upload</th></tr></thead><tbody>${data.manualDue
    .slice(0, MANUAL_ROWS)
    .map(
      (m) =>
        html`<tr><td>${controlLink(m.control)} ${m.title}</td><td>${m.dueBy ? day(m.dueBy) : 'now (never uploaded)'}</td><td>${day(m.lastUploadAt)}</td></tr>`,
    )}</tbody></table>${
    data.manualDue.length > MANUAL_ROWS
      ? html`<p class="muted">${data.manualDue.length - MANUAL_ROWS} more under <a href="#owners">Owners</a>.</p>`
      : html``
  }`;
}

/** The daily passing share as a step line; days no automated control had evidence are left blank. */
function trendFigure(data: ReportData): Markup {
  const n = data.trend.length;
  let path = '';
  let previous: number | null = null;
  data.trend.forEach((share, i) => {
    if (share === null) {
      previous = null;
      return;
    }
    const y = (100 - share * 100).toFixed(1);
    path += previous === null ? `M${i} ${y}H${i + 1}` : `V${y}H${i + 1}`;
    previous = share;
  });
  const known = data.trend
    .map((s, i) => ({ s, i }))
    .filter((p): p is { s: number; i: number } => p.s !== null);
  const low = known.reduce<{ s: number; i: number } | undefined>(
    (m, p) => (!m || p.s < m.s ? p : m),
    undefined,
  );
  const caption = known.length
    ? `${pct(known[0]!.s)} on ${data.period.days[known[0]!.i]}, ${pct(known.at(-1)!.s)} on ${data.period.days[known.at(-1)!.i]}; lowest ${pct(low!.s)} on ${data.period.days[low!.i]}; ${plural(n - known.length, 'day')} without evidence.`
    : 'No automated control had evidence in this period.';
  return html`<figure class="trend"><h3>Daily share of automated controls passing</h3>
<div class="plot"><div class="axis" aria-hidden="true"><span>100%</span><span>50%</span><span>0%</span></div>
<svg viewBox="0 -3 ${Math.max(n, 1)} 106" preserveAspectRatio="none" role="img" aria-label="Daily passing share: ${caption}"><path d="${path}"/></svg>
<div class="days" aria-hidden="true"><span>${data.period.from}</span><span>${data.period.to}</span></div></div>
<figcaption>${caption}</figcaption></figure>`;
}

function filters(data: ReportData): Markup {
  const owners = [...new Set(data.controls.map((c) => c.owner))].sort();
  const sources = [...new Set(data.controls.flatMap((c) => c.sources))].sort();
  const select = (name: string, label: string, options: readonly { value: string; label: string }[]) =>
    html`<label>${label}<select data-filter="${name}"><option value="">All</option>${options.map(
      (o) => html`<option value="${o.value}">${o.label}</option>`,
    )}</select></label>`;
  return html`<form class="filters" role="search" aria-label="Filter controls">
<label>Search (press /)<input type="search" id="q" placeholder="control, resource, owner…" autocomplete="off"></label>
${select(
  'status',
  'Status',
  STATUSES.filter((s) => data.controls.some((c) => c.status === s)).map((s) => ({
    value: s,
    label: STATUS_LABEL[s],
  })),
)}
${select(
  'severity',
  'Severity',
  SEVERITIES.map((s) => ({ value: s, label: s })),
)}
${select(
  'owner',
  'Owner',
  owners.map((o) => ({ value: o, label: o })),
)}
${select(
  'framework',
  'Framework',
  data.frameworks.map((f) => ({ value: f.id, label: FRAMEWORK_LABEL[f.id] })),
)}
${select(
  'source',
  'Source',
  sources.map((s) => ({ value: s, label: s })),
)}
<button type="button" id="reset">Clear</button><p id="shown" aria-live="polite">${data.controls.length} controls</p></form>`;
}

function controlsSection(data: ReportData): Markup {
  return html`<section id="controls" aria-labelledby="h-controls"><h2 id="h-controls">Controls</h2>${filters(data)}
<div id="control-list">${data.controls.map((c) => controlDetails(c, data))}</div></section>`;
}

function controlDetails(c: ReportControl, data: ReportData): Markup {
  const severities = [...new Set(c.failing.map((f) => f.severity))];
  const text = [c.id, c.title, c.owner, ...c.failing.map((f) => f.resource), ...c.failing.map((f) => f.check)]
    .join(' ')
    .toLowerCase();
  const days = c.since ? Math.floor((Date.parse(data.generatedAt) - Date.parse(c.since)) / DAY_MS) : null;
  return html`<details class="control" id="control-${c.id}" data-status="${c.status}" data-severity="${severities.join(' ')}" data-owner="${c.owner}" data-framework="${c.frameworks.join(' ')}" data-source="${c.sources.join(' ')}" data-text="${text}">
<summary><span class="cid">${c.id}</span>${statusBadge(c.status)}<span class="ctitle">${c.title}</span>${severityBadge(c.severity)}<span class="owner">${c.owner}</span></summary>
<div class="body"><p>${c.objective}</p>
<dl class="facts"><dt>Owner</dt><dd>${c.owner}${
    c.people.length
      ? html`: ${c.people.map((p, i) => html`${i ? ', ' : ''}${p.name} (<a href="mailto:${p.email}">${p.email}</a>)`)}`
      : html` <span class="muted">(no person named in owners.yaml)</span>`
  }</dd>
<dt>Status</dt><dd>${STATUS_LABEL[c.status]}${c.since ? html` since ${day(c.since)} (${plural(days ?? 0, 'day')})` : ''}</dd>
<dt>Evidence from</dt><dd>${c.sources.join(', ') || '—'} (${c.type})${c.lastEvidenceAt ? html`, last collected ${day(c.lastEvidenceAt)}` : ''}</dd>${
    c.manualEvidence
      ? html`<dt>Manual evidence</dt><dd>${c.manualEvidence.description}; every ${plural(c.manualEvidence.everyDays, 'day')}; last upload ${day(c.manualEvidence.lastUploadAt)}; due ${c.manualEvidence.dueBy ? day(c.manualEvidence.dueBy) : 'now'}</dd>`
      : ''
  }</dl>
${c.strip ? stripFigure(c.strip, data) : ''}
${
  c.failing.length
    ? html`<h3>Failing resources (${c.failing.length})</h3>${c.failing.map((f) => findingDetails(f, data))}`
    : ''
}${
  c.excepted.length
    ? html`<h3>Excepted (${c.excepted.length})</h3>${c.excepted.map((f) => findingDetails(f, data))}`
    : ''
}${c.expiredExceptions.length ? html`<p>Expired exceptions no longer applying: ${c.expiredExceptions.join(', ')}</p>` : ''}${
  c.gaps.length
    ? html`<h3>Evidence gaps</h3><ul class="keys">${c.gaps.map((g) => html`<li class="key">${g}</li>`)}</ul>`
    : ''
}
<h3>Requirements</h3>${
    c.mappings.length
      ? html`<table class="stack"><thead><tr><th scope="col">Requirement</th><th scope="col">Evidenced by</th><th scope="col">Why</th></tr></thead><tbody>${c.mappings.map(
          (m) =>
            html`<tr><td>${FRAMEWORK_LABEL[m.framework]} <strong>${m.requirement}</strong>${m.title ? html` ${m.title}` : ''}</td><td>${m.by.length ? html`<code>${m.by.join(', ')}</code>` : html`<span class="none">not recorded</span>`}</td><td>${m.rationale || html`<span class="none">no rationale recorded</span>`}</td></tr>`,
        )}</tbody></table>`
      : html`<p class="none">No requirement mapped.</p>`
  }
<h3>Evidence behind the status</h3>${evidenceList(c.evidence, data)}</div></details>`;
}

function evidenceList(keys: readonly string[], data: ReportData): Markup {
  if (!keys.length) return html`<p class="none">No evidence recorded.</p>`;
  return html`<ul class="keys">${keys.map((k) =>
    data.evidenceLinks.has(k)
      ? html`<li><a class="key" href="${encodeURI(k)}">${k}</a></li>`
      : html`<li class="key">${k}</li>`,
  )}</ul>`;
}

function stripFigure(strip: ControlStrip, data: ReportData): Markup {
  const counts = (['passing', 'failing', 'excepted', 'no_evidence'] as const)
    .map((k) => ({ k, n: k === 'no_evidence' ? strip.withoutEvidence : strip[k] }))
    .filter((x) => x.n > 0)
    .map((x) => `${x.n} ${CELL_LABEL[x.k]}`)
    .join(', ');
  const label = `${strip.pctPassing}% of ${plural(strip.cells, 'day')} passing: ${counts}`;
  return html`<figure class="stripbox"><svg class="strip" viewBox="0 0 ${strip.cells} 1" preserveAspectRatio="none" role="img" aria-label="${label}">${strip.runs.map(
    (r) => html`<rect class="d-${r.status}" x="${r.start}" width="${r.length}" height="1"/>`,
  )}</svg><div class="stripdays" aria-hidden="true"><span>${data.period.from}</span><span>${data.period.to}</span></div><figcaption>${label}</figcaption></figure>`;
}

function findingDetails(f: ReportFinding, data: ReportData): Markup {
  return html`<details class="finding${f.exception ? ' excepted' : ''}"><summary>${severityBadge(f.severity)} <span class="key">${f.resource}</span></summary>
<dl class="facts"><dt>Reason</dt><dd>${f.reason}</dd><dt>Check</dt><dd><code>${f.check}</code> ${f.checkTitle}</dd>
<dt>Remediation</dt><dd>${f.remediation || '—'}</dd>${f.exception ? html`<dt>Exception</dt><dd>${f.exception}</dd>` : ''}
<dt>Console</dt><dd>${f.consoleUrl ? html`<a href="${f.consoleUrl}" rel="noreferrer">${f.consoleUrl}</a>` : html`<span class="none">no console page known for this resource</span>`}</dd>
<dt>Evidence</dt><dd>${evidenceList(f.evidence, data)}</dd></dl></details>`;
}

function resourcesSection(data: ReportData): Markup {
  return html`<section id="resources" aria-labelledby="h-resources"><h2 id="h-resources">Failing resources</h2>${
    data.resources.length
      ? html`<table class="stack"><thead><tr><th scope="col">Resource</th><th scope="col">Severity</th><th scope="col">Failing checks and the controls they fail</th></tr></thead><tbody>${data.resources.map(
          (r, i) =>
            html`<tr id="resource-${i + 1}"><td><span class="key">${r.resource}</span>${r.consoleUrl ? html`<br><a href="${r.consoleUrl}" rel="noreferrer">open in console</a>` : ''}<br><span class="muted">${r.source}</span></td><td>${severityBadge(r.severity)}</td><td><ul class="keys">${r.items.map(
              (item) =>
                html`<li>${controlLink(item.control)} <code>${item.finding.check}</code>: ${item.finding.reason}</li>`,
            )}</ul></td></tr>`,
        )}</tbody></table>`
      : html`<p class="none">No resource is failing.</p>`
  }</section>`;
}

function ownersSection(data: ReportData): Markup {
  return html`<section id="owners" aria-labelledby="h-owners"><h2 id="h-owners">Owners</h2>${
    data.owners.length
      ? data.owners.map(
          (o) =>
            html`<article class="owner-card" id="owner-${o.role}"><h3>${o.role}</h3><p>${
              o.people.length
                ? o.people.map(
                    (p, i) => html`${i ? ', ' : ''}${p.name} (<a href="mailto:${p.email}">${p.email}</a>)`,
                  )
                : html`<span class="none">no person named in owners.yaml</span>`
            }</p><table class="stack"><thead><tr><th scope="col">Control</th><th scope="col">Status</th><th scope="col">Severity</th><th scope="col">Since</th><th scope="col">Resources</th></tr></thead><tbody>${o.items.map(
              (i) =>
                html`<tr><td>${controlLink(i.control)} ${i.title}</td><td>${statusBadge(i.status)}${i.status === 'manual_due' ? html` by ${i.dueBy ? day(i.dueBy) : 'now'}` : ''}</td><td>${severityBadge(i.severity)}</td><td>${day(i.since)}</td><td>${i.resources || ''}</td></tr>`,
            )}</tbody></table></article>`,
        )
      : html`<p class="none">No owner has anything open.</p>`
  }</section>`;
}
