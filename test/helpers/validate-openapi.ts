import { execFile } from 'node:child_process';

export interface ValidationResult {
  valid: boolean;
  errors?: unknown;
}

// The validator ships as ES modules that read their schemas through import.meta.url, which
// jest's CommonJS runtime cannot load: it runs in a plain Node process instead.
const SCRIPT = `
import { Validator } from '@seriousme/openapi-schema-validator';
let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (c) => (input += c));
process.stdin.on('end', async () => {
  const result = await new Validator().validate(JSON.parse(input));
  process.stdout.write(JSON.stringify({ valid: result.valid, errors: result.errors }));
});
`;

/** Validates an OpenAPI document with @seriousme/openapi-schema-validator (3.0, 3.1, 3.2). */
export function validateOpenApi(document: unknown): Promise<ValidationResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      ['--input-type=module', '-e', SCRIPT],
      { cwd: `${__dirname}/../..` },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${error.message}\n${stderr}`));
        else resolve(JSON.parse(stdout) as ValidationResult);
      },
    );
    child.stdin!.end(JSON.stringify(document));
  });
}
