/**
 * The Slack message for an alert, laid out as SPEC §5: header with ⚠️ / 🚨 /
 * ✅, "service - Resource Level", the value line, the upgrade
 * recommendation bullets, then the four usage fields; and the same content
 * as the plain `text` fallback (also what goes to stdout without a webhook).
 */
import type { AlertNotification } from '../alerting/index.js';
import { ageText, gbText, pct } from '../alerting/index.js';
import { escapeMrkdwn, escapeMrkdwnValue as v, SLACK_LIMITS, truncate } from './mrkdwn.js';

export interface SlackMessage {
  text: string;
  blocks: unknown[];
}

export interface MessageOptions {
  /** Header text, e.g. "ChromaDB Resource Alert". */
  title: string;
}

function icon(n: Pick<AlertNotification, 'level' | 'digest'>): string {
  if (n.digest) return '📊';
  return n.level === 'ok' ? '✅' : n.level === 'critical' ? '🚨' : n.level === 'no_data' ? '❔' : '⚠️';
}

/** The four usage fields; values of a down target carry their age ("67.2% (stale, 2m old)"). */
function fieldPairs(n: AlertNotification): Array<[string, string]> {
  const { staleAgeMs } = n.snapshot;
  const stale = (text: string) => (staleAgeMs === undefined || text === 'n/a' ? text : `${text} (stale, ${ageText(staleAgeMs)} old)`);
  return [
    ['Memory Usage', stale(pct(n.snapshot.memoryPercent))],
    ['CPU Usage', stale(pct(n.snapshot.cpuPercent))],
    ['Disk Usage', stale(pct(n.snapshot.diskUsagePercent))],
    ['Disk Free', stale(gbText(n.snapshot.diskFreeGb))],
  ];
}

const header = (text: string) => ({ type: 'header', text: { type: 'plain_text', text: truncate(text, SLACK_LIMITS.headerText), emoji: true } });
const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text: truncate(text, SLACK_LIMITS.sectionText) } });
const field = (text: string) => ({ type: 'mrkdwn', text: truncate(text, SLACK_LIMITS.fieldText) });

/** Within Slack's limits for a whole message: at most 50 blocks, and a `text` of at most 40 000 characters. */
function bounded(message: SlackMessage): SlackMessage {
  return { text: truncate(message.text, SLACK_LIMITS.messageText), blocks: message.blocks.slice(0, SLACK_LIMITS.blocksPerMessage) };
}

/** One alert as a Block Kit message with its plain-text fallback. */
export function buildSlackMessage(n: AlertNotification, options: MessageOptions): SlackMessage {
  const headerText = `${icon(n)} ${options.title}`;
  const fields = fieldPairs(n);
  const summary = n.digest ? n.summary.split('\n').map(v).join('\n') : v(n.summary);
  const blocks: unknown[] = [header(headerText), section(`*${v(n.title)}*\n${summary}`)];
  if (n.recommendations.length > 0) {
    blocks.push(section(`*${n.digest ? 'Recommended changes' : 'Upgrade Recommendation'}:*\n${n.recommendations.map((r) => `• ${v(r)}`).join('\n')}`));
  }
  // The digest is about every service at once: no single service's usage fields.
  if (n.digest) return bounded({ text: formatPlainAlert(n, options), blocks });
  blocks.push({
    type: 'section',
    fields: fields.slice(0, SLACK_LIMITS.fieldsPerSection).map(([label, value]) => field(`*${label}:*\n${v(value)}`)),
  });
  return bounded({ text: formatPlainAlert(n, options), blocks });
}

/** The same content as plain text: Slack's notification fallback, and stdout. */
export function formatPlainAlert(n: AlertNotification, options: MessageOptions): string {
  const [memory, cpu, disk, free] = fieldPairs(n).map(([label, value]) => `${label}: ${value}`);
  // A digest's summary is several lines of our own making: kept as lines, each escaped as a value.
  const summary = n.digest ? n.summary.split('\n').map(v).join('\n') : v(n.summary);
  const lines = [escapeMrkdwn(`${icon(n)} ${options.title}`), v(n.title), summary];
  if (n.recommendations.length > 0) lines.push(n.digest ? 'Recommended changes:' : 'Upgrade Recommendation:', ...n.recommendations.map((r) => `• ${v(r)}`));
  if (!n.digest) lines.push(`${memory!.padEnd(22)} ${cpu}`, `${disk!.padEnd(22)} ${free}`);
  return truncate(lines.join('\n'), SLACK_LIMITS.messageText);
}

/** Lines listed in a grouped message before "…and N more". */
export const GROUP_LINES = 20;

/** Many alerts due at once (several targets down) as ONE message. */
export function buildGroupedSlackMessage(ns: readonly AlertNotification[], options: MessageOptions): SlackMessage {
  const worst = ns.some((n) => n.level === 'critical') ? 'critical' : ns.some((n) => n.level === 'warning') ? 'warning' : 'ok';
  const down = ns.filter((n) => n.resource === 'service' && n.level === 'critical').length;
  const headline = `${ns.length} alerts${down > 0 ? ` (${down} service${down === 1 ? '' : 's'} down)` : ''}`;
  const lines = ns.slice(0, GROUP_LINES).map((n) => `${icon(n)} *${v(n.title)}*: ${v(n.summary)}`);
  if (ns.length > GROUP_LINES) lines.push(`…and ${ns.length - GROUP_LINES} more`);
  const plainLines = ns.slice(0, GROUP_LINES).map((n) => `${icon(n)} ${v(n.title)}: ${v(n.summary)}`);
  if (ns.length > GROUP_LINES) plainLines.push(`…and ${ns.length - GROUP_LINES} more`);
  const headerText = `${icon({ level: worst })} ${options.title}`;
  return bounded({
    text: [escapeMrkdwn(headerText), headline, ...plainLines].join('\n'),
    blocks: [header(headerText), section(`*${headline}*`), section(lines.join('\n'))],
  });
}

/** One message for one alert, a grouped message for several. */
export function renderAlerts(ns: readonly AlertNotification[], options: MessageOptions): SlackMessage {
  return ns.length === 1 ? buildSlackMessage(ns[0]!, options) : buildGroupedSlackMessage(ns, options);
}
