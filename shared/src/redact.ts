/**
 * Secrets (webhook URLs, database passwords, tokens) must never reach a log
 * line, an error message, /status, the page, Slack, a stored row or CLI
 * output. Everything that formats text for the outside passes through one
 * Redactor, which knows every secret the process was configured with in every
 * form it can take on the way out (secret-forms.ts), plus structural rules
 * that catch credentials it was never told about (`//user:pw@`, a token used
 * as a URL username, `?token=…`, `Authorization: Basic …`, a webhook's
 * `/services/T…/B…/…` path).
 *
 * Redact BEFORE cutting text to a length (text-cut.ts): a secret cut in half
 * no longer matches any form.
 */
import { CREDENTIAL_PARAM, formsOf, isCredentialParam, MIN_SECRET_LENGTH } from './secret-forms.js';

export const REDACTED = '<redacted>';

/** Shortest prefix of a secret form masked when it ends right before an ellipsis. */
const MIN_CUT_LENGTH = 6;

const isHttp = (url: URL) => url.protocol === 'http:' || url.protocol === 'https:';

/** True for webhook-style URLs whose path is itself the secret (Slack's /services/T…/B…/token). */
export function isPathSecretUrl(url: URL): boolean {
  return /(^|\.)hooks\.slack\.com$/i.test(url.hostname) || url.pathname.startsWith('/services/');
}

/**
 * True when a URL carries a credential, by the same rules `redactUrl` masks:
 * a password, a username alone over http(s) (a token), a query parameter named
 * like a credential (`?token=`, `?password=`), or a webhook-style path.
 * `postgres://postgres@host/db` carries none: a user name is not a secret.
 * A string that is not a `scheme://` URL counts when it has userinfo (`@`).
 */
export function urlHoldsCredentials(raw: string): boolean {
  // "user:pw@host" parses as a URL of scheme "user:" with no authority: judge those by their '@'.
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(raw.trim())) return raw.includes('@');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return raw.includes('@');
  }
  return url.password !== '' || (url.username !== '' && isHttp(url)) || isPathSecretUrl(url)
    || [...url.searchParams.keys()].some(isCredentialParam);
}

/**
 * A URL safe to show: the userinfo password masked (`postgres://u:pw@h/db` →
 * `postgres://u:<redacted>@h/db`), an http(s) username used alone (a token) masked,
 * the whole path of a webhook-style URL masked, and the query masked. The
 * database name (the path of a postgres URL) is not a secret and stays.
 * Strings that are not URLs are returned as is (the Redactor's structural
 * rules still apply to them).
 */
export function redactUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return raw;
  }
  let out = `${url.protocol}//`;
  if (url.username && url.password) out += `${url.username}:${REDACTED}@`;
  else if (url.password || (url.username && isHttp(url))) out += `${REDACTED}@`;
  else if (url.username) out += `${url.username}@`; // postgres://postgres@host: a user name, not a token
  out += url.host;
  if (isPathSecretUrl(url)) return `${out}/${REDACTED}`;
  out += url.pathname === '/' && !raw.endsWith('/') ? '' : url.pathname;
  return url.search ? `${out}?${REDACTED}` : out;
}

/** `scheme://user:password@` (also without the scheme's colon, `http//u:p@h`, and with `/` in the password). */
const USERINFO_PASSWORD = /(\/\/[^\s:/@]*):[^\s@]+@/g;
/** `https://token@host`: over HTTP a lone URL username is how tokens are passed (GitHub, many APIs). */
const USERINFO_TOKEN = /(\bhttps?:?\/\/)([^\s:/@<>"'`]+)@(?=[^\s@])/gi;
/** `?token=…`, `&api_key=…`, `;password=…`: values of query parameters named like credentials. */
const QUERY_CREDENTIAL = new RegExp(`([?&;]${CREDENTIAL_PARAM.source}=)[^&\\s#"'<>\`]+`, 'gi');
/**
 * A Slack-style webhook path, `/services/T…/B…/token` (hooks.slack.com or any host): the path is
 * the credential, so it is masked by shape wherever it appears, not only when it was configured.
 */
const WEBHOOK_PATH = /(\/services\/)[A-Za-z0-9_-]+\/[A-Za-z0-9_-]+\/[A-Za-z0-9_-]+/g;
/** `Bearer …`, `Basic …`, `Token …` credentials (an echoed Authorization header). Not a `realm=` challenge. */
const AUTH_CREDENTIAL = /\b(Bearer|Basic|Token)(\s+)(?!realm=)[A-Za-z0-9._~+/=-]{6,}/gi;

/**
 * Masks every registered secret, in every form, wherever it appears in a
 * string, then applies the structural rules. Forms shorter than 4 characters
 * are not registered on their own (masking "a" everywhere would make logs
 * unreadable).
 */
export class Redactor {
  #forms: string[] = [];

  constructor(secrets: Iterable<string | null | undefined> = []) {
    for (const secret of secrets) this.add(secret);
  }

  /** Registers a secret and its derived forms; null, undefined and empty strings are ignored. */
  add(secret: string | null | undefined): void {
    if (!secret) return;
    for (const form of formsOf(secret)) {
      if (form.length >= MIN_SECRET_LENGTH && !this.#forms.includes(form)) this.#forms.push(form);
    }
    // Longest first, so a URL is replaced whole before its password fragment.
    this.#forms.sort((a, b) => b.length - a.length);
  }

  /**
   * Text cut by code that ran before redaction (a parser quoting the first 80
   * characters of a line) can end in the first part of a secret: a prefix of
   * a form, at least MIN_CUT_LENGTH long, right before an ellipsis is masked
   * too. Shorter leftovers are allowed (SPEC §8: no 6-character fragment),
   * so "http:…" or "ftp:…" in a message is not taken for a secret.
   */
  #redactCutForms(text: string): string {
    return text.replace(/([^\s…]{6,})…/g, (whole, before: string) => {
      for (const form of this.#forms) {
        for (let k = Math.min(form.length - 1, before.length); k >= MIN_CUT_LENGTH; k--) {
          if (before.endsWith(form.slice(0, k))) return `${before.slice(0, before.length - k)}${REDACTED}…`;
        }
      }
      return whole;
    });
  }

  /** The text with every known secret replaced by `<redacted>`, and credentials found by shape masked. */
  redact(text: string): string {
    let out = text;
    for (const form of this.#forms) {
      if (out.includes(form)) out = out.split(form).join(REDACTED);
    }
    if (out.includes('…')) out = this.#redactCutForms(out);
    return out
      .replace(USERINFO_PASSWORD, `$1:${REDACTED}@`)
      .replace(USERINFO_TOKEN, (whole, scheme: string, user: string) => (user === REDACTED ? whole : `${scheme}${REDACTED}@`))
      .replace(QUERY_CREDENTIAL, `$1${REDACTED}`)
      .replace(WEBHOOK_PATH, `$1${REDACTED}`)
      .replace(AUTH_CREDENTIAL, (whole, scheme: string, space: string) => (whole.endsWith(REDACTED) ? whole : `${scheme}${space}${REDACTED}`));
  }
}
