import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Router } from 'express';
import type { Config } from '../../config/config';
import { buildOpenApiDocument } from '../../openapi/build-document';
import { docsAssets } from '../../pages/docs-assets';
import { docsPage } from '../../pages/docs-page';
import { DOCS_HEADERS } from '../../pages/docs-headers';
import { vendorAssets } from '../../pages/vendor-assets';

// Top-level package.json: three levels up from both src/http/routes and dist/http/routes.
const PACKAGE_JSON = path.resolve(__dirname, '../../../package.json');

/** `GET /openapi.json`, generated from the zod schemas, and `/docs`, the reference that reads it. */
export function docsRoutes(config: Config): Router {
  const router = Router();
  let document: string | undefined;
  // Built at the first request (it reads package.json), then the same bytes every time.
  const documentJson = () =>
    (document ??= JSON.stringify(
      buildOpenApiDocument({
        title: config.upstream.appTitle,
        version: (JSON.parse(readFileSync(PACKAGE_JSON, 'utf8')) as { version: string }).version,
        maxMessageChars: config.http.maxMessageChars,
        metricsProtected: config.metrics.token !== '',
        authEnabled: config.auth.mode !== 'off',
        assetPaths: [...Object.keys(vendorAssets()), ...Object.keys(docsAssets())],
      }),
    ));

  router.get('/openapi.json', (_req, res) => {
    res.type('json').send(documentJson());
  });

  router.get('/docs', (_req, res) => {
    res.set(DOCS_HEADERS).type('html').send(docsPage(config.upstream.appTitle));
  });
  for (const [url, file] of Object.entries(docsAssets())) {
    router.get(url, (_req, res) => res.sendFile(file));
  }
  return router;
}
