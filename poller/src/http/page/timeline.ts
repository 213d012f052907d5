/**
 * The incident timeline: the alerts sent (from the outbox), newest first,
 * with time, level, service, resource and delivery status — delivered,
 * pending (retrying) or failed and why — filterable by service with links.
 * Pure.
 */
import type { TimelineEntry } from '../../store/index.js';
import { escapeHtml } from '../html.js';

function delivery(e: TimelineEntry): { text: string; cls: string } {
  if (e.status === 'sent') return { text: e.sentAt === null ? 'delivered' : `delivered ${new Date(e.sentAt).toISOString().slice(11, 19)} UTC`, cls: 'sent' };
  if (e.status === 'failed') return { text: `failed: ${e.lastError ?? 'refused'} (not retried)`, cls: 'failed' };
  return { text: e.attempts === 0 ? 'pending' : `pending, retrying after ${e.attempts} attempt${e.attempts === 1 ? '' : 's'}${e.lastError ? `: ${e.lastError}` : ''}`, cls: 'pending' };
}

/** `query` is the rest of the page's query string to keep on filter links ("6h&refresh=off"). */
export function renderTimeline(entries: readonly TimelineEntry[], services: readonly string[], selected: string | null, query: string): string {
  const link = (service: string | null, label: string) =>
    `<a href="?range=${escapeHtml(query)}${service ? `&amp;service=${encodeURIComponent(service)}` : ''}#timeline"${service === selected ? ' class="on"' : ''}>${escapeHtml(label)}</a>`;
  const rows = entries.map((e) => {
    const d = delivery(e);
    const iso = new Date(e.createdAt).toISOString();
    return `<tr data-service="${escapeHtml(e.service)}"><td><time datetime="${iso}" title="${iso}">${iso.replace('T', ' ').slice(0, 19)} UTC</time></td><td class="lvl-${escapeHtml(e.level)}">${escapeHtml(e.level === 'ok' ? 'resolved' : e.level)}</td><td>${escapeHtml(e.service)}</td><td>${escapeHtml(e.resource)}</td><td>${escapeHtml(e.title)}</td><td class="${d.cls}">${escapeHtml(d.text)}</td></tr>`;
  });
  return [
    '<section class="panel" id="timeline">',
    '<h2>Incident timeline</h2>',
    `<p class="ranges">${link(null, 'all')} ${services.map((s) => link(s, s)).join(' ')}</p>`,
    rows.length === 0
      ? '<p class="muted">No alerts sent yet.</p>'
      : `<table><thead><tr><th>Time</th><th>Level</th><th>Service</th><th>Resource</th><th>Alert</th><th>Delivery</th></tr></thead><tbody>${rows.join('')}</tbody></table>`,
    '</section>',
  ].join('');
}
