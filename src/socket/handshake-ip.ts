import type { IncomingMessage } from 'node:http';
import express from 'express';
import proxyaddr from 'proxy-addr';

export type TrustProxy = boolean | number | string;

/**
 * The client's IP from a socket's handshake, as `req.ip` would name it for an HTTP request:
 * `X-Forwarded-For` counts only through the proxies `TRUST_PROXY` trusts, never otherwise.
 */
export function handshakeIpResolver(trustProxy: TrustProxy): (handshake: { address: string; headers: IncomingMessage['headers'] }) => string {
  // Express's own reading of the `trust proxy` setting, so both transports agree on who a client is.
  const trust = express().set('trust proxy', trustProxy).get('trust proxy fn') as (address: string, hop: number) => boolean;
  return ({ address, headers }) => proxyaddr({ headers, socket: { remoteAddress: address } } as unknown as IncomingMessage, trust);
}
