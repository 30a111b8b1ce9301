import { authenticateSocket } from '../../src/socket/authenticate-socket';

const verify = async (token: string) => {
  if (token !== 'good') throw Object.assign(new Error('bad'), { code: 'invalid_token' });
  return 'alice';
};

describe('authenticateSocket', () => {
  test('when no verifier is configured, then every socket is anonymous', async () => {
    await expect(authenticateSocket({ token: 'anything' }, undefined, true)).resolves.toBeNull();
  });

  test('when a good token comes in the handshake, then the socket is its user', async () => {
    await expect(authenticateSocket({ token: 'good' }, verify)).resolves.toBe('alice');
  });

  test('when no token comes and auth is optional, then the socket is anonymous', async () => {
    await expect(authenticateSocket({}, verify)).resolves.toBeNull();
  });

  test('when no token comes and auth is required, then the socket is refused with missing_token', async () => {
    await expect(authenticateSocket({}, verify, true)).rejects.toMatchObject({ status: 401, code: 'missing_token' });
  });

  test('when a bad token comes, then the verifier refuses it', async () => {
    await expect(authenticateSocket({ token: 'bad' }, verify, true)).rejects.toThrow('bad');
  });
});
