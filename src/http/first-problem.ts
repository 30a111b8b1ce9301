import type { z } from 'zod';

/** The code for each way one field can be wrong; `invalid` covers every way not named. */
export interface FieldCodes<C extends string = string> {
  /** Absent or null. */
  missing?: C;
  /** Of the wrong JSON type. */
  type?: C;
  /** Failing its pattern (e.g. blank where text is needed). */
  format?: C;
  /** Longer or larger than allowed. */
  tooBig?: C;
  invalid: C;
}

/**
 * The code of the first problem zod found, in the order a person fixes them: the body itself
 * (`bodyCode`), then each field in the order of `fields`, and within a field from missing to
 * too big. One schema validates, and each problem keeps the code clients already switch on.
 */
export function firstProblem<C extends string>(
  body: unknown,
  issues: readonly z.core.$ZodIssue[],
  bodyCode: C,
  fields: Readonly<Record<string, FieldCodes<C>>>,
): C {
  if (issues.some((issue) => issue.path.length === 0)) return bodyCode;
  for (const [field, codes] of Object.entries(fields)) {
    const found = issues.filter((issue) => issue.path[0] === field);
    if (found.length === 0) continue;
    const value = (body as Record<string, unknown>)[field];
    if (codes.missing !== undefined && (value === undefined || value === null)) return codes.missing;
    const has = (zodCode: string) => found.some((issue) => issue.code === zodCode);
    if (codes.type !== undefined && has('invalid_type')) return codes.type;
    if (codes.format !== undefined && has('invalid_format')) return codes.format;
    if (codes.tooBig !== undefined && has('too_big')) return codes.tooBig;
    return codes.invalid;
  }
  return bodyCode;
}
