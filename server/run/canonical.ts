import { parse } from 'jsonc-parser';
import { Run, RunField } from '../../protocol';
import { exactField, fieldInfo, foldedField } from './fields';

/**
 * A Run value as Circuit's Go decoder would read it: keys matched to fields ignoring case (the last key of
 * a field wins), null read as absent, values of the wrong type and unknown keys dropped. The engine
 * mapping reads Runs through this, so a spec that passed validation with a `field-case` warning (e.g.
 * `"image"`) runs as the user meant.
 */
export function canonicalRun(value: unknown): Run {
  const run: Run = { Image: '' };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return run;
  const target = run as unknown as Record<RunField, unknown>;
  for (const [key, given] of Object.entries(value as Record<string, unknown>)) {
    const field = exactField(key) ?? foldedField(key);
    if (field === undefined || given === null || given === undefined) continue;
    if (typeMatches(field, given)) target[field] = Array.isArray(given) ? [...given] : given;
  }
  return run;
}

/** The Run in a spec's text, read leniently (comments, trailing commas, errors skipped). */
export function readRun(text: string): Run {
  return canonicalRun(parse(text, [], { allowTrailingComma: true, disallowComments: false }));
}

function typeMatches(field: RunField, value: unknown): boolean {
  switch (fieldInfo[field].type) {
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return typeof value === 'number' && Number.isSafeInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'string[]':
      return Array.isArray(value) && value.every((v) => typeof v === 'string');
  }
}
