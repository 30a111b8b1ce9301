// Starts Swagger UI on /docs with this server's own document. A file of its own (not inline)
// so the page runs under `script-src 'self'`; `validatorUrl: null` keeps Swagger UI from
// sending the document to its public validator: no request leaves the page.
window.addEventListener('DOMContentLoaded', function () {
  window.ui = window.SwaggerUIBundle({
    url: '/openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    validatorUrl: null,
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
  });
});
