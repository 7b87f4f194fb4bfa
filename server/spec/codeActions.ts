/**
 * Quick fixes for spec diagnostics: the nearest field for unknown-field, the canonical spelling for
 * field-case, bytes for memory-units, removing a duplicate (field, Env entry, Volume), `:ro` for a
 * sensitive bind. Computed from the current text, so a stale diagnostic never produces a wrong edit.
 */
import { Node } from 'jsonc-parser';
import { CodeAction, CodeActionKind, Diagnostic, Range, TextEdit } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { RunProblem, validateRunText } from '../run/validate';
import { spanRange, specTree } from './document';
import { diagnosticSource, specDiagnostics } from './diagnostics';

/** The quick fixes for the problems that touch a range. `context` is the client's diagnostics there. */
export function specCodeActions(doc: TextDocument, range: Range, context: Diagnostic[] = []): CodeAction[] {
  const text = doc.getText();
  const start = doc.offsetAt(range.start);
  const end = doc.offsetAt(range.end);
  const problems = validateRunText(text).filter((p) => p.data?.fix !== undefined && p.offset <= end && start <= p.offset + p.length);
  if (problems.length === 0) return [];
  const tree = specTree(text);
  const fresh = specDiagnostics(doc);
  const actions: CodeAction[] = [];
  for (const problem of problems) {
    const fix = problem.data!.fix!;
    const problemRange = spanRange(doc, problem.offset, problem.length);
    const edit = fix.kind === 'replace' ? TextEdit.replace(problemRange, fix.text) : removal(doc, tree, problem);
    if (edit === undefined) continue;
    const diagnostic = context.find((d) => d.source === diagnosticSource && d.code === problem.code && sameRange(d.range, problemRange)) ??
      fresh.find((d) => d.code === problem.code && sameRange(d.range, problemRange));
    const action: CodeAction = {
      title: fix.title,
      kind: CodeActionKind.QuickFix,
      edit: { changes: { [doc.uri]: [edit] } },
      // Each problem has exactly one fix: the obvious one.
      isPreferred: true,
    };
    if (diagnostic !== undefined) action.diagnostics = [diagnostic];
    actions.push(action);
  }
  return actions;
}

/**
 * The edit that removes the property whose key, or the array entry, lies at the problem's place, with
 * the comma that separates it from a neighbour.
 */
function removal(doc: TextDocument, tree: Node | undefined, problem: RunProblem): TextEdit | undefined {
  const node = tree && exactNode(tree, problem.offset, problem.length);
  if (node === undefined || node.parent === undefined) return undefined;
  const target = node.parent.type === 'property' ? node.parent : node;
  const siblings = target.parent?.children;
  if (siblings === undefined) return undefined;
  const i = siblings.indexOf(target);
  const next = siblings[i + 1];
  const previous = siblings[i - 1];
  let from = target.offset;
  let to = target.offset + target.length;
  if (next !== undefined) to = next.offset;
  else if (previous !== undefined) from = previous.offset + previous.length;
  return TextEdit.del(spanRange(doc, from, to - from));
}

function exactNode(node: Node, offset: number, length: number): Node | undefined {
  if (node.offset === offset && node.length === length && node.type !== 'property') return node;
  if (offset < node.offset || offset + length > node.offset + node.length) return undefined;
  for (const child of node.children ?? []) {
    const found = exactNode(child, offset, length);
    if (found !== undefined) return found;
  }
  return undefined;
}

function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}
