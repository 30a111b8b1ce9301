import express, { type Express } from 'express';

/**
 * The app behind a stand-in for the auth middleware: the `X-Test-User` header becomes
 * `res.locals.user`, the contract `requestUser(res)` reads. Without the header, anonymous.
 */
export function withTestUsers(app: Express): Express {
  const outer = express();
  outer.use((req, res, next) => {
    const user = req.get('x-test-user');
    if (user) res.locals.user = user;
    next();
  });
  outer.use(app);
  return outer;
}
