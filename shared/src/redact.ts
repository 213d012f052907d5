/**
 * Secrets (webhook URLs, database passwords, tokens) must never reach a log
 * line, an error message, /status or a Slack message. Everything that formats
 * text for the outside passes through one Redactor, which knows every secret
 * the process was configured with, plus a structural rule for URLs.
 */

export const REDACTED = '<redacted>';

/**
 * Replaces the userinfo password of a URL (`postgres://u:pw@h/db` →
 * `postgres://u:<redacted>@h/db`) and, for webhook-style URLs whose path is
 * the secret, the whole path. Strings that are not URLs are returned as is.
 */
export function redactUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return raw; // not a URL: nothing structural to hide; the Redactor still masks known secrets
  }
  let out = `${url.protocol}//`;
  if (url.username) out += `${url.username}${url.password ? `:${REDACTED}` : ''}@`;
  out += url.host;
  const isWebhook = /hooks\.slack\.com$/i.test(url.hostname) || url.pathname.startsWith('/services/');
  if (isWebhook) return `${out}/${REDACTED}`;
  out += url.pathname === '/' && !raw.endsWith('/') ? '' : url.pathname;
  return url.search ? `${out}?${REDACTED}` : out;
}

/** Secret fragments worth masking on their own when found inside longer text. */
function fragmentsOf(secret: string): string[] {
  const fragments = [secret];
  try {
    const url = new URL(secret);
    if (url.password) fragments.push(decodeURIComponent(url.password), url.password);
    if (url.pathname.length > 8) fragments.push(url.pathname);
  } catch {
    // not a URL: the whole string is the secret
  }
  return fragments;
}

/**
 * Masks every registered secret wherever it appears in a string. Secrets
 * shorter than 4 characters are not registered on their own (masking "a"
 * everywhere would make logs unreadable); URLs are also redacted structurally.
 */
export class Redactor {
  #fragments: string[] = [];

  constructor(secrets: Iterable<string | null | undefined> = []) {
    for (const secret of secrets) this.add(secret);
  }

  /** Registers a secret; null, undefined and empty strings are ignored. */
  add(secret: string | null | undefined): void {
    if (!secret) return;
    for (const fragment of fragmentsOf(secret)) {
      if (fragment.length >= 4 && !this.#fragments.includes(fragment)) this.#fragments.push(fragment);
    }
    // Longest first, so a URL is replaced whole before its password fragment.
    this.#fragments.sort((a, b) => b.length - a.length);
  }

  /** The text with every known secret replaced by `<redacted>`. */
  redact(text: string): string {
    let out = text;
    for (const fragment of this.#fragments) {
      if (out.includes(fragment)) out = out.split(fragment).join(REDACTED);
    }
    return out.replace(/\b([a-z][a-z0-9+.-]*:\/\/[^:/@\s]+):([^@\s/]+)@/gi, `$1:${REDACTED}@`);
  }
}
