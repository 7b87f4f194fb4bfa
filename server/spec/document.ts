/** What every feature of the Run-spec language service shares: which documents are specs, parsing, ranges. */
import { Node, ParseError, parseTree } from 'jsonc-parser';
import { Range } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';

/** The language id of Run-spec documents. */
export const specLanguageId = 'circuit-run';

/** Whether a document is a Run spec: a `*.circuit.json` file, or any document in the `circuit-run` language. */
export function isSpecDocument(doc: { uri: string; languageId: string }): boolean {
  return doc.languageId === specLanguageId || doc.uri.toLowerCase().endsWith('.circuit.json');
}

/** The LSP range of a text span. */
export function spanRange(doc: TextDocument, offset: number, length: number): Range {
  return { start: doc.positionAt(offset), end: doc.positionAt(offset + length) };
}

/** The range of a parsed node. */
export function nodeRange(doc: TextDocument, node: Node): Range {
  return spanRange(doc, node.offset, node.length);
}

/** The parse tree of a spec (comments and trailing commas allowed), undefined for an empty document. */
export function specTree(text: string): Node | undefined {
  const errors: ParseError[] = [];
  return parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
}

/** The key of a property node as a string, or undefined. */
export function propertyKey(property: Node): string | undefined {
  const key = property.children?.[0];
  return key !== undefined && typeof key.value === 'string' ? key.value : undefined;
}
