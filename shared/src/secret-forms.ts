/**
 * Every form a configured secret can take on its way into some output, so
 * the Redactor finds it whichever way it was written (issue 11, faults 7, 8,
 * 10, 11): a target that echoes its request headers shows `Basic
 * base64(user:pw)`; a library error shows the URL normalised (host in lower
 * case, `:443` dropped, password percent-encoded); JSON escapes quotes and
 * backslashes; a token can be a URL username or a `?token=` parameter.
 */

/** Forms shorter than this are not masked on their own (masking "a" everywhere would make text unreadable). */
export const MIN_SECRET_LENGTH = 4;

/**
 * Query parameter names that carry credentials (`token`, `access_token`,
 * `api_key`, `X-Amz-Signature`, `password`, `client_secret`, `sessionid`…),
 * matched case-insensitively as a whole name.
 */
export const CREDENTIAL_PARAM = /[\w.-]*(?:token|key|secret|passw(?:or)?d|pass|pwd|auth|signature|session|credential|jwt)[\w.-]*/;
const CREDENTIAL_NAME = new RegExp(`^${CREDENTIAL_PARAM.source}$`, 'i');

/** True when a query parameter of this name holds a credential. */
export function isCredentialParam(name: string): boolean {
  return CREDENTIAL_NAME.test(name);
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

/** The forms a URL secret shows up in; empty when `secret` is not a URL. */
function urlForms(secret: string): string[] {
  let url: URL;
  try {
    url = new URL(secret);
  } catch {
    return [];
  }
  // Only URLs with an authority (scheme://…): "key:value" also parses as a URL, with no secret parts.
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(secret.trim())) return [];
  const forms = [url.href, url.href.replace(/\/$/, '')];
  const user = decoded(url.username);
  const password = decoded(url.password);
  if (url.password) forms.push(url.password, password);
  // Over HTTP a username alone is a token (https://TOKEN@host); with a password, or in postgres://user@host, it is a user name.
  if (url.username && !url.password && /^https?:$/.test(url.protocol)) forms.push(url.username, user);
  // The HTTP client sends URL credentials as Basic auth, which a target can echo back.
  if (url.username || url.password) forms.push(base64(`${user}:${password}`));
  for (const [name, value] of url.searchParams) {
    if (isCredentialParam(name) && value) forms.push(value, encodeURIComponent(value));
  }
  if (/(^|\.)hooks\.slack\.com$/i.test(url.hostname) || url.pathname.startsWith('/services/')) {
    // The path is the secret: team id, bot id and token each identify the webhook.
    forms.push(url.pathname, ...url.pathname.split('/').filter((segment) => segment && segment !== 'services'));
  }
  return forms;
}

/**
 * The secret itself and every derived form: percent-encoded, JSON-escaped,
 * and for URLs the normalised URL, password (raw and decoded), a username
 * used as a token, `base64(user:password)`, credential query values and,
 * for webhook URLs, the path and its segments. Never the path of another URL
 * (a database name is not a secret). Forms of `Bearer x` / `Basic x` include `x`.
 */
export function formsOf(secret: string): string[] {
  const forms = new Set<string>([secret, secret.trim()]);
  const scheme = /^(?:Bearer|Basic|Token)\s+(\S+)$/i.exec(secret.trim());
  if (scheme) forms.add(scheme[1]!);
  for (const form of urlForms(secret)) forms.add(form);
  for (const form of [...forms]) {
    forms.add(encodeURIComponent(form));
    forms.add(JSON.stringify(form).slice(1, -1));
  }
  return [...forms].filter((form) => form.length > 0);
}
