import { execFile } from 'node:child_process';
import { PROJECT_ROOT } from '../../server/config/settings';

/**
 * @seriousme/openapi-schema-validator is an ES module, which jest's CommonJS runtime cannot load,
 * so a plain node process validates the document read from stdin and prints the result.
 */
const SCRIPT = `
import { Validator } from '@seriousme/openapi-schema-validator';
let text = '';
for await (const chunk of process.stdin) text += chunk;
const result = await new Validator().validate(JSON.parse(text));
process.stdout.write(JSON.stringify(result));
`;

export interface OpenApiValidation {
  valid: boolean;
  errors?: unknown;
}

export function validateOpenApi(document: object): Promise<OpenApiValidation> {
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, ['--input-type=module', '-e', SCRIPT], { cwd: PROJECT_ROOT }, (error, stdout, stderr) => {
      if (error) reject(new Error(`the OpenAPI validator failed: ${stderr || error.message}`));
      else resolve(JSON.parse(stdout) as OpenApiValidation);
    });
    child.stdin?.end(JSON.stringify(document));
  });
}
