/** `/a/:id/b` → `/a/{id}/b`, as OpenAPI writes path parameters. */
export function toOpenApiPath(expressPath: string): string {
  return expressPath.replace(/:(\w+)/g, '{$1}');
}
