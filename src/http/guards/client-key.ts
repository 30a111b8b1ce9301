import { ipKeyGenerator } from 'express-rate-limit';

/**
 * Whose budget a request spends: the signed-in user when there is one, else its IP. HTTP and
 * Socket.IO both count by this key, so one client has one budget whichever way it asks.
 */
export function clientKey(user: string | null, ip: string): string {
  // IPv6 clients are counted per /56, since one of them holds far more than one address.
  return user !== null ? `user:${user}` : `ip:${ipKeyGenerator(ip)}`;
}
