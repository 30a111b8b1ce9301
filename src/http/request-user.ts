import type { Response } from 'express';

/**
 * Who is asking: the authenticated user's id (a token's `sub`), or null for an anonymous caller.
 * Authentication middleware sets `res.locals.user`; everything downstream reads it only here.
 */
export function requestUser(res: Response): string | null {
  const user: unknown = res.locals.user;
  return typeof user === 'string' && user !== '' ? user : null;
}
