/**
 * The status page's only other files: one stylesheet, one script and a
 * favicon, served by the poller under content-hashed names so they can be
 * cached for a year (a new build is a new name). Nothing comes from the
 * internet. The script makes times local, shows a tooltip, and refreshes the
 * page unless someone moved, scrolled or typed during the last period (a
 * <noscript> meta refresh does it without the script): the page reads fine without it.
 */
import { createHash } from 'node:crypto';

const CSS = `
:root{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#111;background:#f6f7f9;--ok:#15803d;--warning:#b45309;--critical:#b91c1c;--down:#4b5563;--nodata:#6b7280}
body{margin:0;padding:16px;max-width:1280px;margin-inline:auto}
h1{font-size:1.3rem;margin:0 0 4px}h2{font-size:1.05rem;margin:0 0 6px;display:flex;justify-content:space-between;gap:8px;align-items:center}
.summary{font-size:1rem;margin:4px 0 10px;font-weight:600}.summary .n-critical{color:var(--critical)}.summary .n-warning{color:var(--warning)}.summary .n-ok{color:var(--ok)}.summary .n-down{color:var(--down)}.summary .n-no_data{color:var(--nodata)}
.bar{display:flex;flex-wrap:wrap;gap:12px;align-items:center;font-size:.85rem;margin:0 0 12px}.ranges a{padding:2px 8px;border:1px solid #cbd5e1;border-radius:10px;text-decoration:none;color:#1e293b;margin-right:4px}.ranges a.on{background:#1e293b;color:#fff}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(330px,1fr));gap:12px}
.card{background:#fff;border-radius:8px;padding:12px;border-left:6px solid var(--ok);box-shadow:0 1px 2px #0001}
.card.level-warning{border-color:var(--warning)}.card.level-critical{border-color:var(--critical)}.card.down{border-color:var(--down)}.card.level-no_data{border-color:var(--nodata)}
.badge{font-size:.72rem;padding:2px 8px;border-radius:10px;color:#fff;background:var(--ok);text-transform:uppercase}.badge.warning{background:var(--warning)}.badge.critical{background:var(--critical)}.badge.down{background:var(--down)}.badge.no_data{background:var(--nodata)}
table.values{width:100%;border-collapse:collapse;font-size:.9rem}table.values td{padding:2px 0}td.v{text-align:right;font-variant-numeric:tabular-nums}
td.v.warning{color:var(--warning);font-weight:600}td.v.critical{color:var(--critical);font-weight:600}td.v.stale{color:#8a8a8a;font-style:italic}td.v.no_data{color:var(--nodata)}
.muted{color:#555;font-size:.8rem}.err{color:var(--critical);font-size:.8rem;word-break:break-word}
.reason{font-size:.85rem;margin:6px 0 0}.action{margin:.3rem 0 0;padding-left:1.1rem;font-size:.85rem}
.charts{display:grid;grid-template-columns:1fr;gap:4px;margin-top:6px}
figure.chart{margin:0}figure.chart figcaption{font-size:.75rem;color:#333}figure.chart svg{width:100%;height:auto;display:block}
.no-history{font-size:.8rem;color:#666;border:1px dashed #cbd5e1;border-radius:4px;padding:10px;margin:2px 0;text-align:center}
line.grid{stroke:#e5e7eb;stroke-width:.6}text.ylabel{font-size:8px;fill:#555;text-anchor:end}text.xlabel{font-size:8px;fill:#555}
line.th{stroke-width:.8;stroke-dasharray:3 2}line.th-warning{stroke:var(--warning)}line.th-critical{stroke:var(--critical)}line.th-limit{stroke:#111}
text.thlabel{font-size:7px;text-anchor:end}text.th-warning{fill:var(--warning)}text.th-critical{fill:var(--critical)}text.th-limit{fill:#111}
polyline.series{fill:none;stroke-width:1.4}circle.pt{cursor:crosshair}circle.pt:hover{r:3.5}
#tip{position:fixed;pointer-events:none;background:#111;color:#fff;font-size:.75rem;padding:3px 6px;border-radius:4px;display:none;z-index:9}
section.panel{background:#fff;border-radius:8px;padding:12px;margin-top:16px;box-shadow:0 1px 2px #0001;overflow-x:auto}
section.panel table{border-collapse:collapse;font-size:.85rem;width:100%}section.panel th,section.panel td{border-bottom:1px solid #e5e7eb;padding:4px 6px;text-align:left;white-space:nowrap}
td.lvl-critical{color:var(--critical);font-weight:600}td.lvl-warning{color:var(--warning);font-weight:600}td.lvl-ok{color:var(--ok)}td.failed{color:var(--critical)}
@media (max-width:480px){body{padding:8px}.grid{grid-template-columns:1fr}}
`;

const JS = `(function(){
var spanFmt=function(t,span){var d=new Date(t);return span<=172800000?d.toLocaleTimeString([], {hour:'2-digit',minute:'2-digit'}):d.toLocaleDateString([], {month:'short',day:'numeric'});};
document.querySelectorAll('text.xlabel[data-t]').forEach(function(el){el.textContent=spanFmt(Number(el.getAttribute('data-t')),Number(el.getAttribute('data-span')));});
var rel=function(ms){var s=Math.max(0,Math.round(ms/1000));if(s<120)return s+' s ago';if(s<7200)return Math.round(s/60)+' min ago';if(s<172800)return Math.round(s/3600)+' h ago';return Math.round(s/86400)+' days ago';};
document.querySelectorAll('time[datetime]').forEach(function(el){var t=Date.parse(el.getAttribute('datetime'));if(isNaN(t))return;el.title=new Date(t).toLocaleString();el.textContent=el.hasAttribute('data-relative')?rel(Date.now()-t):new Date(t).toLocaleString();});
var tip=document.createElement('div');tip.id='tip';document.body.appendChild(tip);
document.addEventListener('mouseover',function(e){var c=e.target;if(!c||!c.classList||!c.classList.contains('pt'))return;var f=c.closest('figure');tip.textContent=(f?f.getAttribute('data-chart')+' ':'')+c.getAttribute('data-v')+' at '+new Date(Number(c.getAttribute('data-t'))).toLocaleString();tip.style.display='block';tip.style.left=(e.clientX+10)+'px';tip.style.top=(e.clientY+10)+'px';});
document.addEventListener('mouseout',function(e){if(e.target&&e.target.classList&&e.target.classList.contains('pt'))tip.style.display='none';});
var every=Number(document.body.getAttribute('data-refresh'))*1000,last=Date.now();
['mousemove','keydown','touchstart','scroll'].forEach(function(n){document.addEventListener(n,function(){last=Date.now();},{passive:true});});
if(every>0)setInterval(function(){if(document.visibilityState==='visible'&&Date.now()-last>=every)location.reload();},every);
})();
`;

const FAVICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#1e293b"/><polyline points="2,11 6,7 9,9 14,3" fill="none" stroke="#22d3ee" stroke-width="2"/></svg>`;

const hash = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 12);

export interface PageAsset {
  /** URL path, content-hashed for the stylesheet and the script. */
  path: string;
  contentType: string;
  body: string;
}

/** The three assets the page links; serve each with a year of caching. */
export const PAGE_ASSETS = {
  css: { path: `/assets/page-${hash(CSS)}.css`, contentType: 'text/css; charset=utf-8', body: CSS },
  js: { path: `/assets/page-${hash(JS)}.js`, contentType: 'text/javascript; charset=utf-8', body: JS },
  favicon: { path: '/favicon.svg', contentType: 'image/svg+xml', body: FAVICON },
} as const satisfies Record<string, PageAsset>;

/** Cache-Control for the hashed assets: a new build is a new name. */
export const IMMUTABLE_CACHE = 'public, max-age=31536000, immutable';
