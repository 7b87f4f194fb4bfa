/**
 * The one Run validator: the editor's diagnostics and `circuit/make`'s invalid-run both come from here, so
 * what the editor accepts is what make accepts. Pure: text (and a snapshot of host facts) in, problems out.
 */
import { Node, ParseError, parseTree, printParseErrorCode } from 'jsonc-parser';
import { RunField } from '../../protocol';
import { HostFacts } from './facts';
import { exactField, fieldInfo, foldedField, nearestField } from './fields';
import { MAX_STRING_BYTES, execLimitProblem } from './limits';
import { translateLxc } from './lxc';
import { formatBytes, minimumMemory, parseMemorySize } from './memory';
import { parseImageReference } from './reference';
import { parseVolume, sensitiveBind, volumeTarget } from './volume';
import { quoted } from './words';

export const problemCodes = [
  'syntax',
  'not-object',
  'unknown-field',
  'field-case',
  'duplicate-field',
  'type',
  'image-required',
  'image-reference',
  'image-absent',
  'memory-units',
  'memory-minimum',
  'memory-host',
  'cpushares-range',
  'lxc-translated',
  'lxc-unsupported',
  'volume-syntax',
  'volume-relative',
  'volume-duplicate',
  'volume-sensitive',
  'dir-relative',
  'env-syntax',
  'env-duplicate',
  'no-command',
  'string-limit',
] as const;
export type ProblemCode = (typeof problemCodes)[number];

export type ProblemSeverity = 'error' | 'warning' | 'information';

/** A quick fix for a problem: replace the problem's range with text, or remove the property/entry there. */
export type ProblemFix = { kind: 'replace'; title: string; text: string } | { kind: 'remove'; title: string };

/** What a problem carries for quick fixes (RunProblem.data). */
export interface ProblemData {
  fix?: ProblemFix;
  /** unknown-field: the key as written. */
  key?: string;
}

export interface RunProblem {
  code: ProblemCode;
  severity: ProblemSeverity;
  /** What is wrong, in a user's words, naming the field. */
  message: string;
  /** The Run field the problem is about (undefined for syntax, not-object and unknown keys). */
  field: RunField | undefined;
  /** The exact place: the offending value, or the key for key problems. */
  offset: number;
  length: number;
  data?: ProblemData;
}

const syntaxMessages: Record<string, string> = {
  InvalidSymbol: 'Invalid symbol',
  InvalidNumberFormat: 'Invalid number',
  PropertyNameExpected: 'A field name in double quotes is expected here',
  ValueExpected: 'A value is expected here',
  ColonExpected: 'A ":" is expected here',
  CommaExpected: 'A "," is expected here',
  CloseBraceExpected: 'A "}" is expected here',
  CloseBracketExpected: 'A "]" is expected here',
  EndOfFileExpected: 'Nothing may follow the Run object',
  InvalidCommentToken: 'Invalid comment',
  UnexpectedEndOfComment: 'The comment is not closed (*/ missing)',
  UnexpectedEndOfString: 'The string is not closed (" missing)',
  UnexpectedEndOfNumber: 'The number ends too early',
  InvalidUnicode: 'Invalid \\u escape',
  InvalidEscapeCharacter: 'Invalid escape character',
  InvalidCharacter: 'Invalid character in a string (control characters must be escaped)',
};

/** Docker CpuShares bounds (the kernel clamps outside them). */
const maxCpuShares = 262144;

/** Validates a Run spec's text: every problem, with its exact place, in document order. */
export function validateRunText(text: string, facts?: HostFacts): RunProblem[] {
  return new Validation(text, facts).run();
}

/**
 * For `circuit/make`: the first blocking problem of a Run value (warnings and information never block), or
 * null when make may go ahead. Runs the same validator on the value's JSON.
 */
export function checkRun(run: unknown, facts?: HostFacts): { field: string | undefined; message: string } | null {
  let text: string | undefined;
  try {
    text = JSON.stringify(run);
  } catch (err) {
    return { field: undefined, message: `The Run is not JSON: ${err instanceof Error ? err.message : String(err)}` };
  }
  if (text === undefined) return { field: undefined, message: 'The Run must be an object, e.g. { "Image": "busybox" }' };
  const first = validateRunText(text, facts).find((p) => p.severity === 'error');
  // Past the validator: strings the kernel cannot exec (NUL bytes, over 128 KiB), which the engine would
  // otherwise cut short silently or refuse only at start.
  if (first === undefined) return execLimitProblem(run);
  return { field: first.field ?? first.data?.key, message: first.message };
}

/** The last value given for a field (Go's decoder: the last one wins), with its node. */
interface Given {
  node: Node;
  value: unknown;
}

class Validation {
  private readonly problems: RunProblem[] = [];
  private readonly given = new Map<RunField, Given>();
  /** The value node of each field's last key, whatever its type. */
  private readonly lastValue = new Map<RunField, Node>();

  constructor(
    private readonly text: string,
    private readonly facts: HostFacts | undefined,
  ) {}

  run(): RunProblem[] {
    const errors: ParseError[] = [];
    const root = parseTree(this.text, errors, { allowTrailingComma: true, disallowComments: false });
    for (const e of errors) {
      // jsonc-parser may place an error past the end (an unclosed comment at the end of the text): clamp it.
      const offset = Math.min(Math.max(e.offset, 0), this.text.length);
      const length = Math.min(Math.max(e.length, 0), this.text.length - offset);
      this.add('syntax', 'error', syntaxMessages[printParseErrorCode(e.error)] ?? 'Syntax error', undefined, offset, length);
    }
    if (root === undefined) {
      if (errors.length === 0) this.add('not-object', 'error', 'A Run spec is an object, e.g. { "Image": "busybox" }', undefined, 0, 0);
    } else if (root.type !== 'object') {
      const length = root.type === 'array' ? 1 : root.length;
      this.add('not-object', 'error', `A Run spec is an object, e.g. { "Image": "busybox" }; this is ${describe(root)}`, undefined, root.offset, length);
    } else {
      this.object(root);
    }
    // A value cut by a syntax error (an unclosed string, say) is not what the user means: report only the syntax.
    const broken = new SyntaxSpans(this.problems.filter((p) => p.code === 'syntax'));
    const kept = this.problems.filter((p) => p.code === 'syntax' || !broken.overlap(p));
    return kept.sort((a, b) => a.offset - b.offset);
  }

  private add(code: ProblemCode, severity: ProblemSeverity, message: string, field: RunField | undefined, offset: number, length: number, data?: ProblemData): void {
    const problem: RunProblem = { code, severity, message, field, offset, length };
    if (data !== undefined) problem.data = data;
    this.problems.push(problem);
  }

  private at(node: Node, code: ProblemCode, severity: ProblemSeverity, message: string, field: RunField | undefined, data?: ProblemData): void {
    this.add(code, severity, message, field, node.offset, node.length, data);
  }

  private object(root: Node): void {
    const firstKey = new Map<RunField, Node>();
    for (const property of root.children ?? []) {
      const keyNode = property.children?.[0];
      if (keyNode === undefined || typeof keyNode.value !== 'string') continue;
      const key: string = keyNode.value;
      const valueNode = property.children?.[1];
      let field = exactField(key);
      if (field === undefined) {
        field = foldedField(key);
        if (field === undefined) {
          const near = nearestField(key);
          this.at(keyNode, 'unknown-field', 'error', `${quoted(key)} is not a Run field; did you mean ${quoted(near)}?`, undefined, {
            key,
            fix: { kind: 'replace', title: `Change to ${quoted(near)}`, text: JSON.stringify(near) },
          });
          continue;
        }
        this.at(keyNode, 'field-case', 'warning', `${quoted(key)} is not spelled like the field ${quoted(field)}: Circuit's Go decoder ignores case and would take it as ${field}, but write ${quoted(field)}`, field, {
          fix: { kind: 'replace', title: `Change to ${quoted(field)}`, text: JSON.stringify(field) },
        });
      }
      const first = firstKey.get(field);
      if (first !== undefined) {
        const spelled = first.value === key ? field : `${field} (as ${quoted(String(first.value))})`;
        this.at(keyNode, 'duplicate-field', 'error', `${spelled} is already set above; keep one of them`, field, {
          fix: { kind: 'remove', title: `Remove this ${field}` },
        });
      } else {
        firstKey.set(field, keyNode);
      }
      if (valueNode === undefined) continue;
      this.lastValue.set(field, valueNode);
      this.value(field, valueNode);
    }
    this.crossField(root);
  }

  /** Checks one field's value and records it as the field's effective value when its type is right. */
  private value(field: RunField, node: Node): void {
    if (node.type === 'null') {
      // Go's decoder leaves a field untouched for null: as if absent.
      this.given.delete(field);
      return;
    }
    switch (field) {
      case 'Image':
      case 'Dir':
      case 'Entry':
      case 'Path':
        if (node.type !== 'string') return this.typeError(field, node);
        if (field !== 'Image' && !this.execable(field, field, node)) return;
        if (field === 'Dir' && node.value !== '' && !String(node.value).startsWith('/')) {
          this.at(node, 'dir-relative', 'error', `Dir must be an absolute path inside the container; got ${quoted(String(node.value))}`, field);
        }
        break;
      case 'Memory':
        if (!this.memory(node)) return;
        break;
      case 'CpuShares':
        if (!this.cpuShares(node)) return;
        break;
      case 'Scrub':
        if (node.type !== 'boolean') return this.typeError(field, node);
        break;
      case 'Lxc':
      case 'Volume':
      case 'Env':
      case 'Args':
        if (!this.stringArray(field, node)) return;
        break;
    }
    this.given.set(field, { node, value: node.type === 'array' ? (node.children ?? []).map((c) => c.value as unknown) : (node.value as unknown) });
  }

  private typeError(field: RunField, node: Node): void {
    const want: Record<string, string> = {
      string: 'a string',
      integer: 'a whole number',
      'string[]': 'an array of strings',
      boolean: 'true or false',
    };
    const example = field === 'Env' ? ', e.g. ["KEY=value"]' : field === 'Args' || field === 'Volume' || field === 'Lxc' ? ', e.g. ["..."]' : '';
    this.at(node, 'type', 'error', `${field} must be ${want[fieldInfo[field].type]}${example}; got ${describe(node)}`, field);
  }

  private memory(node: Node): boolean {
    if (node.type === 'string') {
      const written = String(node.value);
      const bytes = parseMemorySize(written);
      if (bytes === undefined) {
        this.at(node, 'type', 'error', `Memory must be a whole number of bytes (e.g. 536870912 for 512 MiB); got the string ${quoted(written)}`, 'Memory');
        return false;
      }
      this.at(node, 'memory-units', 'error', `Memory is a number of bytes, without units: ${quoted(written)} is ${bytes}`, 'Memory', {
        fix: { kind: 'replace', title: `Change to ${bytes} (bytes)`, text: String(bytes) },
      });
      return false;
    }
    if (node.type !== 'number') {
      this.typeError('Memory', node);
      return false;
    }
    const value = Number(node.value);
    if (!Number.isInteger(value)) {
      this.at(node, 'type', 'error', `Memory must be a whole number of bytes; got ${value}`, 'Memory');
      return false;
    }
    if (!Number.isSafeInteger(value)) {
      this.at(node, 'type', 'error', `Memory ${value} is too large to be a byte count`, 'Memory');
      return false;
    }
    if (value < 0) {
      this.at(node, 'memory-minimum', 'error', `Memory cannot be negative (0 means no limit); got ${value}`, 'Memory');
      return false;
    }
    if (value > 0 && value < minimumMemory) {
      this.at(node, 'memory-minimum', 'error', `Memory must be at least 6 MiB (${minimumMemory} bytes); got ${value}`, 'Memory');
      return false;
    }
    return true;
  }

  private cpuShares(node: Node): boolean {
    if (node.type !== 'number') {
      this.typeError('CpuShares', node);
      return false;
    }
    const value = Number(node.value);
    if (!Number.isSafeInteger(value) || value < 0) {
      this.at(node, 'type', 'error', `CpuShares must be a whole number, 0 or more; got ${value}`, 'CpuShares');
      return false;
    }
    if (value === 1) {
      this.at(node, 'cpushares-range', 'warning', 'CpuShares 1 is below the kernel\'s minimum of 2 (it acts as 2); the default weight is 1024', 'CpuShares');
    } else if (value > maxCpuShares) {
      this.at(node, 'cpushares-range', 'warning', `CpuShares ${value} is above the kernel's maximum of ${maxCpuShares} (it acts as ${maxCpuShares})`, 'CpuShares');
    }
    return true;
  }

  /** Checks an array of strings and each entry's syntax; false when its type is wrong. */
  private stringArray(field: 'Lxc' | 'Volume' | 'Env' | 'Args', node: Node): boolean {
    if (node.type !== 'array') {
      this.typeError(field, node);
      return false;
    }
    let typed = true;
    for (const [i, entry] of (node.children ?? []).entries()) {
      if (entry.type !== 'string') {
        this.at(entry, 'type', 'error', `${field} entries must be strings; got ${describe(entry)}`, field);
        typed = false;
        continue;
      }
      const value = String(entry.value);
      if (!this.execable(field, `${field}[${i}]`, entry)) continue;
      if (field === 'Lxc') this.lxcEntry(entry, value);
      if (field === 'Volume') this.volumeEntry(entry, value);
      if (field === 'Env') this.envEntry(entry, value);
    }
    return typed;
  }

  /**
   * Whether the kernel can take a string: container strings become C strings for execve(2) and mount(2),
   * so a NUL byte cuts them short, and Linux refuses one longer than MAX_ARG_STRLEN (128 KiB).
   */
  private execable(field: RunField, where: string, node: Node): boolean {
    const value = String(node.value);
    if (value.includes('\u0000')) {
      this.at(node, 'string-limit', 'error', `${where} holds a NUL byte (\\u0000): the kernel takes it as the end of the string, so it cannot reach the container`, field);
      return false;
    }
    if (value.length * 3 + 1 > MAX_STRING_BYTES) {
      const bytes = Buffer.byteLength(value, 'utf8');
      if (bytes + 1 > MAX_STRING_BYTES) {
        this.at(node, 'string-limit', 'error', `${where} is ${bytes} bytes long; the kernel takes at most ${MAX_STRING_BYTES - 1} bytes in one argument, environment entry or path`, field);
        return false;
      }
    }
    return true;
  }

  private lxcEntry(node: Node, entry: string): void {
    const translation = translateLxc(entry);
    if ('error' in translation) {
      this.at(node, 'lxc-unsupported', 'error', translation.error, 'Lxc');
      return;
    }
    const shown = typeof translation.value === 'string' ? `${quoted(translation.value)}` : String(translation.value);
    this.at(node, 'lxc-translated', 'information', `Becomes HostConfig.${translation.setting} = ${shown} (docker run ${translation.flag} ${translation.value}); a ${translation.setting === 'Memory' || translation.setting === 'CpuShares' ? `${translation.setting} field, when set, takes precedence` : 'later Lxc entry for the same key takes precedence'}`, 'Lxc');
  }

  private volumeEntry(node: Node, entry: string): void {
    const spec = parseVolume(entry);
    if ('code' in spec) {
      this.at(node, spec.code, 'error', spec.message, 'Volume');
      return;
    }
    const sensitive = sensitiveBind(spec);
    if (sensitive !== undefined) {
      const data: ProblemData = sensitive.readOnlyFix === undefined ? {} : { fix: { kind: 'replace', title: 'Mount it read-only (:ro)', text: JSON.stringify(sensitive.readOnlyFix) } };
      this.at(node, 'volume-sensitive', 'warning', `Volume ${quoted(entry)} ${sensitive.why}`, 'Volume', data);
    }
  }

  private envEntry(node: Node, entry: string): void {
    const key = envKey(entry);
    if (entry.length === 0) this.at(node, 'env-syntax', 'error', 'Env entry is empty; write KEY=value', 'Env');
    else if (key.length === 0) this.at(node, 'env-syntax', 'error', `Env entry ${quoted(entry)} has an empty key; write KEY=value`, 'Env');
    else if (/\s/.test(key)) this.at(node, 'env-syntax', 'error', `Env key ${quoted(key)} contains whitespace`, 'Env');
  }

  private crossField(root: Node): void {
    const image = this.given.get('Image');
    const imageNode = this.lastValue.get('Image');
    if (image === undefined) {
      // Absent, or null. A wrong type was already reported.
      if (imageNode === undefined || imageNode.type === 'null') {
        const where = imageNode ?? root;
        this.add('image-required', 'error', 'Image is required: the image to run, e.g. "busybox:latest"', 'Image', where.offset, imageNode ? imageNode.length : 1);
      }
    } else if (image.value === '') {
      this.at(image.node, 'image-required', 'error', 'Image is required and must not be empty, e.g. "busybox:latest"', 'Image');
    } else {
      const ref = String(image.value);
      const parsed = parseImageReference(ref);
      if ('error' in parsed) this.at(image.node, 'image-reference', 'error', `Image ${quoted(ref)} is not a valid Docker reference: ${parsed.error}`, 'Image');
      else this.hostChecks(image.node, ref);
    }
    this.duplicateEnv();
    this.duplicateVolumes();
    this.memoryAboveHost();
  }

  private duplicateEnv(): void {
    const env = this.given.get('Env');
    if (env === undefined) return;
    const entries = env.node.children ?? [];
    const last = new Map<string, number>();
    entries.forEach((e, i) => {
      if (e.type === 'string' && String(e.value).length > 0 && envKey(String(e.value)).length > 0) last.set(envKey(String(e.value)), i);
    });
    entries.forEach((e, i) => {
      if (e.type !== 'string') return;
      const key = envKey(String(e.value));
      const lastIndex = last.get(key);
      if (lastIndex !== undefined && lastIndex !== i) {
        this.at(e, 'env-duplicate', 'warning', `Env sets ${key} again below, and the last one wins: this entry has no effect`, 'Env', {
          fix: { kind: 'remove', title: `Remove this ${key} (it has no effect)` },
        });
      }
    });
  }

  private duplicateVolumes(): void {
    const volume = this.given.get('Volume');
    if (volume === undefined) return;
    const seen = new Set<string>();
    for (const e of volume.node.children ?? []) {
      if (e.type !== 'string') continue;
      const spec = parseVolume(String(e.value));
      if ('code' in spec) continue;
      const target = volumeTarget(spec);
      if (seen.has(target)) {
        this.at(e, 'volume-duplicate', 'error', `Volume: the container path ${target} is already mounted by an entry above`, 'Volume', {
          fix: { kind: 'remove', title: `Remove this mount of ${target}` },
        });
      }
      seen.add(target);
    }
  }

  private hostChecks(imageNode: Node, ref: string): void {
    const facts = this.facts;
    if (facts === undefined || facts.host === undefined) return;
    const image = facts.image(ref);
    if (image === null) {
      this.at(imageNode, 'image-absent', 'information', `Image ${quoted(ref)} is not on host ${facts.host}: make will need to pull it`, 'Image');
    } else if (image !== undefined) {
      const commanded = this.nonEmpty('Path') || this.nonEmpty('Args') || this.nonEmpty('Entry');
      if (!commanded && !image.cmd?.length && !image.entrypoint?.length) {
        this.at(imageNode, 'no-command', 'error', `Image ${quoted(ref)} on host ${facts.host} has neither Cmd nor Entrypoint: set Path (and Args) or Entry`, 'Image');
      }
    }
  }

  private memoryAboveHost(): void {
    const facts = this.facts;
    const memory = this.given.get('Memory');
    if (facts?.host !== undefined && memory !== undefined && facts.memTotal !== undefined && typeof memory.value === 'number' && memory.value > facts.memTotal !== undefined && typeof memory.value === 'number' && memory.value > facts.memTotal) {
      this.at(memory.node, 'memory-host', 'warning', `Memory ${formatBytes(memory.value)} is more than host ${facts.host} has (${formatBytes(facts.memTotal)})`, 'Memory');
    }
  }

  private nonEmpty(field: RunField): boolean {
    const given = this.given.get(field);
    if (given === undefined) return false;
    return Array.isArray(given.value) ? given.value.length > 0 : given.value !== '';
  }
}

/**
 * The syntax errors' spans, to ask in O(log n) whether a problem's range overlaps one (a zero-length
 * error counts when strictly inside the range).
 */
class SyntaxSpans {
  /** Errors with a length, by offset, and the furthest end reached up to each. */
  private readonly starts: number[] = [];
  private readonly reach: number[] = [];
  /** Zero-length errors' offsets, sorted. */
  private readonly points: number[] = [];

  constructor(errors: RunProblem[]) {
    const spans = errors.filter((e) => e.length > 0).sort((a, b) => a.offset - b.offset);
    let reach = -1;
    for (const e of spans) {
      reach = Math.max(reach, e.offset + e.length);
      this.starts.push(e.offset);
      this.reach.push(reach);
    }
    this.points = errors.filter((e) => e.length === 0).map((e) => e.offset).sort((a, b) => a - b);
  }

  overlap(p: RunProblem): boolean {
    const end = p.offset + p.length;
    // Spans starting before the range ends: does any reach past its start?
    const i = countBelow(this.starts, end) - 1;
    if (i >= 0 && this.reach[i]! > p.offset) return true;
    // Points strictly inside.
    return countBelow(this.points, end) > countBelow(this.points, p.offset + 1);
  }
}

/** How many of the sorted numbers are below `limit`. */
function countBelow(sorted: number[], limit: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < limit) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The key of an Env entry: everything before the first "=". */
export function envKey(entry: string): string {
  const eq = entry.indexOf('=');
  return eq < 0 ? entry : entry.slice(0, eq);
}

/** A JSON value's kind, for messages: "a number (42)", "an array", ... */
function describe(node: Node): string {
  switch (node.type) {
    case 'string':
      return `a string`;
    case 'number':
      return `a number (${String(node.value)})`;
    case 'boolean':
      return String(node.value);
    case 'null':
      return 'null';
    case 'array':
      return 'an array';
    case 'object':
      return 'an object';
    default:
      return node.type;
  }
}
