/**
 * Optional bearer or basic auth in front of everything but /healthz. A wrong
 * token, an unknown user and a wrong password get the same 401 with the same
 * body, after the same constant-time comparison (shared isAuthorized).
 */
import type { RequestHandler } from 'express';
import { authChallenge, isAuthorized, type HttpAuthConfig } from '@chroma-monitor/shared';

export function authMiddleware(auth: HttpAuthConfig | null): RequestHandler {
  return (req, res, next) => {
    if (isAuthorized(req.headers.authorization, auth)) {
      next();
      return;
    }
    res.status(401).set('WWW-Authenticate', authChallenge(auth!)).type('text/plain').send('unauthorized\n');
  };
}
