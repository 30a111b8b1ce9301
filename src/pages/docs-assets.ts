/**
 * Swagger UI's files for `/docs`, served from the swagger-ui-dist package (no CDN), by URL path.
 * Resolved when called, so importing this module touches no files.
 */
export function docsAssets(): Readonly<Record<string, string>> {
  return {
    '/docs/assets/swagger-ui.css': require.resolve('swagger-ui-dist/swagger-ui.css'),
    '/docs/assets/swagger-ui-bundle.js': require.resolve('swagger-ui-dist/swagger-ui-bundle.js'),
  };
}
