// Turns zod issues from the route schemas into field errors: the field's name, where it came from,
// and a reason a person can act on ("unknown field", "is required", "expected integer, received string").
import type * as z from 'zod';
import { retiredChainReason } from '../chains/index.js';
import { ApiProblem, type FieldError, type FieldLocation } from './problem.js';

type Target = 'json' | 'query' | 'param' | 'header' | 'cookie' | 'form';

const LOCATION: Readonly<Record<Target, FieldLocation>> = {
  json: 'body',
  form: 'body',
  query: 'query',
  param: 'path',
  header: 'header',
  cookie: 'header',
};

type Issue = z.core.$ZodIssue;

function fieldName(path: readonly PropertyKey[]): string {
  let name = '';
  for (const key of path) {
    if (typeof key === 'number') name += `[${key}]`;
    else name += name === '' ? String(key) : `.${String(key)}`;
  }
  return name === '' ? '(body)' : name;
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let current = data;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function reasonFor(issue: Issue, data: unknown): string {
  const missing = valueAt(data, issue.path) === undefined;
  switch (issue.code) {
    case 'invalid_type':
      if (missing) return 'is required';
      if (issue.expected === 'int' && typeof valueAt(data, issue.path) === 'number')
        return 'must be an integer';
      return `expected ${issue.expected === 'int' ? 'integer' : issue.expected}, received ${describe(valueAt(data, issue.path))}`;
    case 'invalid_value': {
      if (missing) return 'is required';
      const value = valueAt(data, issue.path);
      if (Array.isArray(value)) return `expected one value, received ${value.length}`;
      // A chain Tatum had but that no longer exists (BNB Beacon Chain) says so, not just "must be one of".
      const retired = typeof value === 'string' ? retiredChainReason(value) : undefined;
      if (retired !== undefined) return `${String(value).toUpperCase()} is not supported: ${retired}`;
      return issue.values.length === 1
        ? `must be ${JSON.stringify(issue.values[0])}`
        : `must be one of ${issue.values.map((v) => String(v)).join(', ')}`;
    }
    default:
      return issue.message;
  }
}

export function fieldErrors(issues: readonly Issue[], target: Target, data: unknown): FieldError[] {
  const location = LOCATION[target];
  const errors: FieldError[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        errors.push({ field: fieldName([...issue.path, key]), in: location, reason: 'unknown field' });
      }
    } else {
      errors.push({ field: fieldName(issue.path), in: location, reason: reasonFor(issue, data) });
    }
  }
  return errors;
}

export function validationProblem(errors: readonly FieldError[]): ApiProblem {
  const names = [...new Set(errors.map((e) => e.field))].join(', ');
  return new ApiProblem(400, 'validation', `Invalid request: ${names}`, errors);
}

/**
 * The OpenAPIHono `defaultHook`: throws a 400 problem naming every offending field. `data` is the raw
 * input the validator saw (zod-validator passes it along), used to tell "missing" from "wrong type".
 */
export function rejectInvalid(result: {
  success: boolean;
  target: Target;
  data?: unknown;
  error?: { issues: readonly Issue[] };
}): void {
  if (result.success || !result.error) return;
  throw validationProblem(fieldErrors(result.error.issues, result.target, result.data));
}
