import { SESSION_PATH } from '../../http/routes/auth-routes';
import { SIGN_IN_PATH } from '../../pages/page-paths';
import { bodyResponse, errorResponses } from '../response-helpers';
import { AUTH_401, CROSS_ORIGIN_403 } from './shared';

type Json = Record<string, unknown>;

/** Signing in (only when AUTH_MODE is on): the page's cookie, by API or by its form. */
export function authPaths(): Json {
  return {
    [SESSION_PATH]: {
      post: {
        tags: ['auth'],
        summary: 'Keep the Bearer token as the page\'s HttpOnly cookie access_token',
        operationId: 'keepToken',
        security: [{ bearerAuth: [] }],
        responses: {
          200: {
            description: 'The cookie is set until the token expires; the body names the user.',
            headers: { 'Set-Cookie': { description: 'access_token; HttpOnly; SameSite=Strict.', schema: { type: 'string' } } },
            content: {
              'application/json': {
                schema: { type: 'object', properties: { user: { type: 'string' } }, required: ['user'], additionalProperties: false },
              },
            },
          },
          ...errorResponses({ 400: [['missing_token'], 'No Authorization header to keep.'], 401: AUTH_401, 403: CROSS_ORIGIN_403 }),
        },
      },
      delete: {
        tags: ['auth'],
        summary: 'Clear the page\'s cookie (signs the page out)',
        operationId: 'clearToken',
        security: [],
        responses: { 204: { description: 'Cleared.' }, ...errorResponses({ 403: CROSS_ORIGIN_403 }) },
      },
    },
    [SIGN_IN_PATH]: {
      post: {
        tags: ['auth'],
        summary: 'The page\'s sign-in form: a pasted token becomes the cookie',
        operationId: 'pageSignIn',
        security: [],
        requestBody: {
          required: true,
          content: {
            'application/x-www-form-urlencoded': {
              schema: { type: 'object', properties: { token: { type: 'string' } }, required: ['token'] },
            },
          },
        },
        responses: {
          303: { description: 'Signed in: to the chat page, with the cookie set.' },
          400: bodyResponse('No token was pasted: the sign-in page again.', 'text/html'),
          401: bodyResponse('The token failed its check: the sign-in page, saying why.', 'text/html'),
          ...errorResponses({ 403: CROSS_ORIGIN_403 }),
        },
      },
    },
  };
}
