/**
 * Security headers on every response of the poller's HTTP server, the status
 * page and /status above all (issue 11, fault 20). The page's only script and
 * stylesheet are its own files (page/page-assets.ts), so the
 * Content-Security-Policy allows scripts from this origin only and never
 * inline: even if some value escaped its HTML escaping, it could not run.
 * Inline styles are allowed (the chart legend's colours); nothing is loaded
 * from elsewhere. Framing is refused in both the
 * modern (`frame-ancestors`) and the legacy (`X-Frame-Options`) way, and
 * browsers must not guess a content type (`nosniff`: a JSON error that
 * quotes a target's text must never be rendered as HTML).
 */
import type { RequestHandler } from 'express';

/** The policy for every response: scripts and styles from this origin only (no inline script), no external loads, no framing, no form posts. */
export const CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** Header name → value, as set on every response. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
};

export function securityHeaders(): RequestHandler {
  return (_req, res, next) => {
    res.set(SECURITY_HEADERS);
    next();
  };
}
