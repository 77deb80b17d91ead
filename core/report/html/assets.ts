/** The report's inline style sheet and script: no request leaves the page (its CSP forbids any). */

export const STYLE = `
:root{--ink:#1b1f24;--muted:#4a5560;--line:#d5dbe1;--bg:#f6f8fa;--card:#fff;--accent:#1f4fa3;
--pass:#2e7d32;--fail:#c62828;--exc:#7b1fa2;--gap:#d99a00;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:var(--bg)}
*{box-sizing:border-box}body{margin:0}a{color:var(--accent)}a:focus-visible,summary:focus-visible,input:focus-visible,select:focus-visible,button:focus-visible{outline:3px solid #f5b400;outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:#fff;padding:6px 10px;z-index:2}
header{background:#14213d;color:#fff;padding:20px 24px 0}header h1{margin:0 0 4px;font-size:1.5rem}header p{margin:0 0 12px;color:#d7dde6}
header nav{display:flex;gap:4px;flex-wrap:wrap}header nav a{color:#fff;text-decoration:none;padding:8px 12px;border-radius:6px 6px 0 0}header nav a:hover,header nav a:focus-visible{background:#2b3a5c}
main{max-width:1200px;margin:0 auto;padding:8px 20px 40px}section{margin-top:28px}h2{font-size:1.3rem;border-bottom:2px solid var(--line);padding-bottom:4px}
h3{font-size:1.05rem;margin:18px 0 6px}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(300px,1fr));gap:16px}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:14px 16px}.card h3{margin-top:0}
.bar{display:flex;height:14px;border-radius:7px;overflow:hidden;background:#e8ecf0;margin:6px 0}.bar span{display:block;height:100%}
.legend{list-style:none;padding:0;margin:6px 0;display:flex;flex-wrap:wrap;gap:4px 14px;font-size:.9rem}.legend i{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:5px}
.f-passing{background:var(--pass)}.f-failing{background:var(--fail)}.f-excepted{background:var(--exc)}.f-no_evidence{background:var(--gap)}.f-manual_due{background:#3f6ad8}.f-not_evaluated{background:#90a4ae}
.f-automated{background:var(--pass)}.f-manual{background:#3f6ad8}.f-none{background:#90a4ae}
.trend{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:14px 16px;margin:16px 0 0}
.trend h3{margin-top:0}.trend .plot{display:grid;grid-template-columns:auto 1fr;gap:0 8px;font-size:.8rem;color:var(--muted)}.trend .axis{display:flex;flex-direction:column;justify-content:space-between;text-align:right;height:140px}
.trend svg{width:100%;height:140px;background:repeating-linear-gradient(to bottom,#eef1f4 0 1px,transparent 1px 35px);border-left:1px solid var(--line);border-bottom:1px solid var(--line)}
.trend path{fill:none;stroke:var(--accent);stroke-width:2;vector-effect:non-scaling-stroke}.trend .days{grid-column:2;display:flex;justify-content:space-between}
figcaption{margin-top:6px;color:var(--muted);font-size:.9rem}
.cols{display:grid;grid-template-columns:repeat(auto-fit,minmax(340px,1fr));gap:16px;margin-top:16px}
table{width:100%;border-collapse:collapse;background:var(--card);font-size:.9rem}th,td{text-align:left;vertical-align:top;padding:6px 8px;border-bottom:1px solid var(--line);overflow-wrap:anywhere}th{background:#eef1f4;font-weight:600;overflow-wrap:normal}
.badge,.sev{display:inline-block;padding:1px 8px;border-radius:10px;font-size:.8rem;font-weight:600;white-space:nowrap}
.s-failing{background:#fde2e1;color:#8a1c13}.s-no_evidence{background:#fff1d6;color:#6b4100}.s-manual_due{background:#e6ecff;color:#23408e}.s-excepted{background:#efe6fb;color:#5b2a86}.s-passing{background:#dcf2e0;color:#1d5e2a}.s-not_evaluated{background:#eceff1;color:#37474f}
.sev-critical{background:#8a1c13;color:#fff}.sev-high{background:#fde2e1;color:#8a1c13}.sev-medium{background:#fff1d6;color:#6b4100}.sev-low{background:#eceff1;color:#37474f}
.filters{display:flex;flex-wrap:wrap;gap:10px 14px;align-items:end;background:var(--card);border:1px solid var(--line);border-radius:8px;padding:12px 14px}
.filters label{display:flex;flex-direction:column;font-size:.8rem;font-weight:600;color:var(--muted);gap:2px}.filters input,.filters select,.filters button{font:inherit;padding:5px 8px;border:1px solid #8a96a3;border-radius:6px;background:#fff;color:var(--ink)}
.filters input{min-width:220px}.filters button{cursor:pointer}#shown{margin:0 0 0 auto;font-size:.9rem;color:var(--muted);align-self:center}
details.control{background:var(--card);border:1px solid var(--line);border-radius:8px;margin:8px 0}details.control[hidden]{display:none}
details.control{scroll-margin-top:12px;content-visibility:auto;contain-intrinsic-size:auto 46px}details.control>summary{display:flex;flex-wrap:wrap;gap:4px 12px;align-items:center;padding:10px 14px;cursor:pointer;list-style:none}
details.control>summary::-webkit-details-marker{display:none}details.control>summary::before{content:"▸";color:var(--muted);width:.8em}details.control[open]>summary::before{content:"▾"}
.cid{font-weight:700;font-family:ui-monospace,SFMono-Regular,Menlo,monospace;min-width:6.5rem}.ctitle{flex:1 1 18rem;min-width:0}.owner{color:var(--muted);font-size:.85rem}
.body{padding:4px 16px 14px;border-top:1px solid var(--line)}.body p{margin:8px 0}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:4px 14px;margin:8px 0}dl.facts dt{font-weight:600;color:var(--muted)}dl.facts dd{margin:0;overflow-wrap:anywhere}figure{margin:10px 0}
.strip{width:100%;height:22px;display:block;border:1px solid var(--line);border-radius:3px}.strip .d-passing{fill:var(--pass)}.strip .d-failing{fill:var(--fail)}.strip .d-excepted{fill:var(--exc)}.strip .d-no_evidence{fill:var(--gap)}
.stripdays{display:flex;justify-content:space-between;font-size:.8rem;color:var(--muted)}
details.finding{border-left:4px solid var(--fail);background:#fffafa;margin:6px 0;padding:0 10px}details.finding.excepted{border-color:var(--exc);background:#fbf8fe}
details.finding>summary{cursor:pointer;padding:6px 0;overflow-wrap:anywhere}details.finding dl{margin:0 0 8px}
code,.key{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.82rem;overflow-wrap:anywhere}
ul.keys{margin:4px 0;padding-left:18px}.muted{color:var(--muted)}.none{color:var(--muted);font-style:italic}
.owner-card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:12px 14px;margin:12px 0}.owner-card h3{margin:0 0 4px}
footer{max-width:1200px;margin:0 auto;padding:16px 20px 30px;color:var(--muted);font-size:.85rem}
@media (max-width:700px){dl.facts{grid-template-columns:1fr;gap:0}dl.facts dd{margin-bottom:6px}.filters input{min-width:0;width:100%}.filters label{flex:1 1 40%}main{padding:8px 12px 30px}
table.stack thead{display:none}table.stack tr{display:block;border-bottom:1px solid var(--line);padding:4px 0}table.stack td{display:block;border:0;padding:2px 8px}}
@media print{details::details-content{content-visibility:visible}details.control{content-visibility:visible}:root{background:#fff;font-size:11pt}header{background:#fff;color:#000;padding:0}header p{color:#333}header nav,.filters,.skip{display:none}
details.control,.card,.owner-card,.trend{break-inside:avoid;border-color:#999}details.control[hidden]{display:block}section{break-before:page}section#overview{break-before:auto}a{color:#000}}
`;

export const SCRIPT = `
(() => {
  const list = [...document.querySelectorAll('details.control')];
  const q = document.getElementById('q');
  const selects = [...document.querySelectorAll('select[data-filter]')];
  const shown = document.getElementById('shown');
  const apply = () => {
    const text = q.value.trim().toLowerCase();
    let n = 0;
    for (const c of list) {
      const ok = (!text || c.dataset.text.includes(text)) &&
        selects.every((s) => !s.value || c.dataset[s.dataset.filter].split(' ').includes(s.value));
      c.hidden = !ok;
      if (ok) n++;
    }
    shown.textContent = n + ' of ' + list.length + ' controls';
  };
  q.addEventListener('input', apply);
  for (const s of selects) s.addEventListener('change', apply);
  document.getElementById('reset').addEventListener('click', () => {
    q.value = '';
    for (const s of selects) s.value = '';
    apply();
  });
  const openTarget = () => {
    const target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (target && target.tagName === 'DETAILS') { target.hidden = false; target.open = true; }
  };
  addEventListener('hashchange', openTarget);
  addEventListener('keydown', (e) => {
    const typing = e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement;
    if (e.key === '/' && !typing) { e.preventDefault(); q.focus(); }
  });
  let closed = [];
  addEventListener('beforeprint', () => {
    closed = [...document.querySelectorAll('details:not([open])')];
    for (const d of closed) d.open = true;
  });
  addEventListener('afterprint', () => { for (const d of closed) d.open = false; });
  // The page is rendered unfiltered; only a filter restored by the browser (back, reload) needs applying.
  if (q.value || selects.some((s) => s.value)) apply();
  openTarget();
})();
`;
