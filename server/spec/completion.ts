/**
 * Completion in a Run spec: the missing field names (with value snippets), Image values from the target
 * host's images, Volume sources from its named volumes, Env keys from the image's Config.Env, Dir from
 * the image's WorkingDir, and typical values of Memory, CpuShares, Lxc and Scrub.
 */
import { Node, findNodeAtOffset, getLocation } from 'jsonc-parser';
import {
  CompletionItem,
  CompletionItemKind,
  CompletionList,
  InsertTextFormat,
  MarkupKind,
  Position,
  Range,
  TextEdit,
} from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { RunField, runFields } from '../../protocol';
import { readRun } from '../run/canonical';
import { exactField, fieldInfo, foldedField } from '../run/fields';
import { lxcKeys } from '../run/lxc';
import { formatBytes } from '../run/memory';
import { envKey } from '../run/validate';
import { propertyKey, spanRange, specTree } from './document';
import { ImageFacts, SpecFacts, noFacts } from './facts';
import { fieldMarkdown, imageAge, imageSize } from './describe';

export interface CompletionOptions {
  /** The current time in ms (for image ages); defaults to Date.now(). */
  now?: number;
}

/** The completions at a position of a spec. */
export function specCompletion(doc: TextDocument, position: Position, facts: SpecFacts = noFacts, options: CompletionOptions = {}): CompletionList {
  const items = complete(doc, doc.offsetAt(position), facts, options.now ?? Date.now());
  return { isIncomplete: false, items };
}

function complete(doc: TextDocument, offset: number, facts: SpecFacts, now: number): CompletionItem[] {
  const text = doc.getText();
  const root = specTree(text);
  if (root === undefined) return [skeleton(doc, offset)];
  if (root.type !== 'object' || offset <= root.offset || offset > root.offset + root.length) return [];
  if (offset === root.offset + root.length && text[offset - 1] === '}') return [];
  const location = getLocation(text, offset);
  const [first, index] = location.path;
  if (typeof first !== 'string') return [];
  if (location.isAtPropertyKey && location.path.length === 1) return fieldItems(doc, text, root, offset, location.previousNode);
  const field = exactField(first) ?? foldedField(first);
  if (field === undefined || location.path.length > 2) return [];
  const inArray = typeof index === 'number';
  if (location.path.length === 2 && !inArray) return [];
  const range = valueRange(doc, root, offset);
  const values = valueItems(field, inArray, text, facts, now);
  const wrap = !inArray && fieldInfo[field].type === 'string[]';
  return values.map((v, i) => {
    const insert = wrap ? `[${v.insert}]` : v.insert;
    const item: CompletionItem = {
      label: v.label,
      kind: v.kind ?? CompletionItemKind.Value,
      textEdit: TextEdit.replace(range, insert),
      filterText: wrap ? `[${v.filter}` : v.filter,
      sortText: String(i).padStart(4, '0'),
    };
    if (v.snippet) item.insertTextFormat = InsertTextFormat.Snippet;
    if (v.detail !== undefined) item.detail = v.detail;
    if (v.documentation !== undefined) item.documentation = { kind: MarkupKind.Markdown, value: v.documentation };
    return item;
  });
}

/** For an empty document: a whole spec. */
function skeleton(doc: TextDocument, offset: number): CompletionItem {
  return {
    label: 'Run spec',
    kind: CompletionItemKind.Snippet,
    detail: '{ "Image": … }',
    documentation: { kind: MarkupKind.Markdown, value: 'A new Run spec: the image to run, and its command.' },
    insertTextFormat: InsertTextFormat.Snippet,
    textEdit: TextEdit.insert(doc.positionAt(offset), '{\n\t"Image": "${1}",\n\t"Path": "${2}",\n\t"Args": [${3}]\n}'),
  };
}

/** The fields not yet in the spec, where a key is typed. */
function fieldItems(doc: TextDocument, text: string, root: Node, offset: number, previous: Node | undefined): CompletionItem[] {
  let from: number;
  let to: number;
  if (previous !== undefined && previous.type === 'property' && previous.offset <= offset && offset <= previous.offset + previous.length) {
    // Inside a quoted key: jsonc reports the key's string as a "property" node.
    from = previous.offset;
    to = previous.offset + previous.length;
  } else {
    from = offset;
    to = offset;
    while (from > 0 && /[\w"]/.test(text[from - 1]!)) from--;
    while (to < text.length && /[\w"]/.test(text[to]!)) to++;
  }
  const after = nextSignificant(text, to);
  const hasColon = after === ':';
  const comma = !hasColon && after === '"' ? ',' : '';
  const present = new Set<RunField>();
  for (const property of root.children ?? []) {
    const keyNode = property.children?.[0];
    const key = propertyKey(property);
    if (key === undefined || keyNode === undefined || keyNode.offset === from) continue;
    const field = exactField(key) ?? foldedField(key);
    if (field !== undefined) present.add(field);
  }
  const range = spanRange(doc, from, to - from);
  return runFields
    .filter((f) => !present.has(f))
    .map((field, i) => {
      const info = fieldInfo[field];
      const item: CompletionItem = {
        label: field,
        kind: CompletionItemKind.Property,
        detail: info.flag === undefined ? info.type : `${info.type} · docker run ${info.flag}`,
        documentation: { kind: MarkupKind.Markdown, value: fieldMarkdown(field) },
        filterText: `"${field}"`,
        sortText: String(i).padStart(2, '0'),
        textEdit: TextEdit.replace(range, hasColon ? `"${field}"` : `"${field}": ${info.snippet}${comma}`),
      };
      if (!hasColon) item.insertTextFormat = InsertTextFormat.Snippet;
      return item;
    });
}

/** The character after `offset`, skipping whitespace and comments. */
function nextSignificant(text: string, offset: number): string | undefined {
  let i = offset;
  for (;;) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (text.startsWith('//', i)) {
      const end = text.indexOf('\n', i);
      if (end < 0) return undefined;
      i = end + 1;
    } else if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) return undefined;
      i = end + 2;
    } else {
      return text[i];
    }
  }
}

/** The range a value completion replaces: the scalar value at the cursor, else nothing (insert). */
function valueRange(doc: TextDocument, root: Node, offset: number): Range {
  const node = findNodeAtOffset(root, offset, true);
  if (node !== undefined && node.type !== 'object' && node.type !== 'array' && node.type !== 'property') {
    const isKey = node.parent?.type === 'property' && node.parent.children?.[0] === node;
    if (!isKey) return spanRange(doc, node.offset, node.length);
  }
  return spanRange(doc, offset, 0);
}

interface ValueItem {
  label: string;
  /** The JSON (or snippet) inserted. */
  insert: string;
  /** What the typed text is matched against. */
  filter: string;
  snippet?: boolean;
  detail?: string;
  documentation?: string;
  kind?: CompletionItemKind;
}

function valueItems(field: RunField, inArray: boolean, text: string, facts: SpecFacts, now: number): ValueItem[] {
  const json = (value: string | number | boolean, detail?: string): ValueItem => {
    const item: ValueItem = { label: String(value), insert: JSON.stringify(value), filter: JSON.stringify(value) };
    if (detail !== undefined) item.detail = detail;
    return item;
  };
  const run = readRun(text);
  const image = (): ImageFacts | null | undefined => (run.Image ? facts.image(run.Image) : undefined);
  switch (field) {
    case 'Image':
      return [...facts.images]
        .sort((a, b) => b.created - a.created)
        .flatMap((i) =>
          i.tags
            .filter((t) => t !== '<none>:<none>')
            .map((tag) => ({
              ...json(tag, `${imageSize(i.size)} · ${imageAge(i.created, now)}`),
              documentation: `Image \`${i.id.replace(/^sha256:/, '').slice(0, 12)}\` on host ${facts.host ?? '?'}`,
              kind: CompletionItemKind.Module,
            })),
        );
    case 'Dir': {
      const workingDir = image()?.workingDir;
      const items = workingDir ? [json(workingDir, "the image's WorkingDir")] : [];
      return workingDir === '/' ? items : [...items, json('/', 'the root directory')];
    }
    case 'Env': {
      if (!inArray && run.Env !== undefined) return [];
      const present = new Set((run.Env ?? []).map(envKey));
      return (image()?.env ?? [])
        .filter((e) => !present.has(envKey(e)))
        .map((e) => {
          const key = envKey(e);
          const value = e.slice(key.length + 1);
          return {
            label: key,
            insert: `"${snippetText(jsonInner(key))}=\${1:${snippetText(jsonInner(value))}}"`,
            filter: JSON.stringify(e),
            snippet: true,
            detail: `the image sets ${e}`,
          };
        });
    }
    case 'Volume':
      return facts.volumes.map((name) => ({
        label: name,
        insert: `"${snippetText(jsonInner(name))}:\${1:/path/in/container}"`,
        filter: `"${name}`,
        snippet: true,
        detail: `named volume on host ${facts.host ?? '?'}`,
        kind: CompletionItemKind.Folder,
      }));
    case 'Lxc':
      return lxcKeys.map((key) => ({
        label: key,
        insert: `"${key} = \${1:${lxcExample[key]}}"`,
        filter: `"${key}`,
        snippet: true,
        detail: lxcBecomes[key],
      }));
    case 'Memory':
      return [64, 128, 256, 512, 1024, 2048].map((mib) => json(mib * 1024 * 1024, formatBytes(mib * 1024 * 1024)));
    case 'CpuShares':
      return [json(512, 'half the default weight'), json(1024, 'the default weight'), json(2048, 'twice the default weight')];
    case 'Scrub':
      return [json(true, 'remove the element once its container exits'), json(false, 'keep the element for its exit status')];
    case 'Path':
    case 'Entry':
    case 'Args':
      return [];
  }
}

const lxcExample: Record<(typeof lxcKeys)[number], string> = {
  'lxc.cgroup.cpuset.cpus': '0-1',
  'lxc.cgroup.cpuset.mems': '0',
  'lxc.cgroup.memory.limit_in_bytes': '536870912',
  'lxc.cgroup.cpu.shares': '512',
};

const lxcBecomes: Record<(typeof lxcKeys)[number], string> = {
  'lxc.cgroup.cpuset.cpus': 'becomes --cpuset-cpus',
  'lxc.cgroup.cpuset.mems': 'becomes --cpuset-mems',
  'lxc.cgroup.memory.limit_in_bytes': 'becomes --memory',
  'lxc.cgroup.cpu.shares': 'becomes --cpu-shares',
};

/** A string escaped for the inside of a JSON string literal. */
function jsonInner(value: string): string {
  return JSON.stringify(value).slice(1, -1);
}

/** Text escaped for a snippet: $, } and \ are special there. */
function snippetText(value: string): string {
  return value.replace(/[\\$}]/g, '\\$&');
}
