import type { z } from 'zod';
import { ValidationError } from '../errors';

export interface IssueSummary {
  path: string;
  message: string;
}

/**
 * Issues without the offending values: zod can echo input (an access token in the wrong field,
 * a megabyte of junk), so only paths and messages ever leave the service.
 */
export function summarizeIssues(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string; code?: string; keys?: string[] }>): IssueSummary[] {
  return issues.slice(0, 20).map((issue) => ({
    path: issue.path.map((part) => String(part).slice(0, 64)).join('.') || '(input)',
    message:
      issue.code === 'unrecognized_keys' && issue.keys
        ? `unknown field(s): ${issue.keys.map((key) => key.slice(0, 64)).slice(0, 10).join(', ')}`
        : issue.message.slice(0, 300),
  }));
}

/** Validation error naming the fields that are wrong, for people and agents alike. */
export function validationErrorFrom(issues: IssueSummary[]): ValidationError {
  const first = issues[0];
  const text = issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
  return new ValidationError(first ? `Invalid input: ${text}` : 'Invalid input', { issues });
}

/** Parses an operation's input, throwing a 400-class ValidationError that echoes no values. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input ?? {});
  if (!result.success) throw validationErrorFrom(summarizeIssues(result.error.issues as never));
  return result.data;
}
