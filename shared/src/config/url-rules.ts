/**
 * URL checks for config values. Messages never echo a URL that may carry a
 * secret (webhooks, database URLs): they say what is wrong, not what it was.
 */
import { redactUrl } from '../redact.js';

function parse(text: string): URL | null {
  try {
    return new URL(text);
  } catch {
    return null;
  }
}

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** A scrape target: http or https only. Target URLs are shown redacted. */
export function targetUrlProblem(text: string): string | null {
  const url = parse(text);
  if (!url) return `must be an http or https URL, got "${redactUrl(text)}"`;
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return `must be an http or https URL, got "${url.protocol}…"`;
  }
  return null;
}

/** A Slack webhook: https, or http only to this machine (a local receiver in tests). */
export function webhookUrlProblem(text: string): string | null {
  const url = parse(text);
  if (!url) return 'must be an https URL';
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:' && LOCAL_HOSTS.has(url.hostname)) return null;
  return 'must be an https URL (http is accepted only for 127.0.0.1 or localhost)';
}

/** A PostgreSQL connection string. */
export function databaseUrlProblem(text: string): string | null {
  const url = parse(text);
  if (!url || (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:')) {
    return 'must be a postgres:// or postgresql:// URL';
  }
  return null;
}

/** A real calendar date written YYYY-MM-DD. */
export function isCalendarDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text);
}
