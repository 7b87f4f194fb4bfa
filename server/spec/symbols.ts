/** Document symbols (the outline) of a spec: one per field, with array entries as children. */
import { Node } from 'jsonc-parser';
import { DocumentSymbol, SymbolKind } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { formatBytes } from '../run/memory';
import { nodeRange, propertyKey, specTree } from './document';

/** Longest value shown as a symbol's detail. */
const maxDetail = 60;

export function specSymbols(doc: TextDocument): DocumentSymbol[] {
  const root = specTree(doc.getText());
  if (root === undefined || root.type !== 'object') return [];
  const symbols: DocumentSymbol[] = [];
  for (const property of root.children ?? []) {
    const key = propertyKey(property);
    const keyNode = property.children?.[0];
    if (key === undefined || keyNode === undefined) continue;
    const value = property.children?.[1];
    const symbol: DocumentSymbol = {
      name: key.length > 0 ? key : '""',
      kind: value === undefined ? SymbolKind.Property : kindOf(value),
      range: nodeRange(doc, property),
      selectionRange: nodeRange(doc, keyNode),
    };
    if (value !== undefined) {
      const detail = detailOf(key, value);
      if (detail !== undefined) symbol.detail = detail;
      if (value.type === 'array') {
        symbol.children = (value.children ?? []).map((entry, i) => {
          const child: DocumentSymbol = {
            name: entry.type === 'string' && String(entry.value).length > 0 ? cut(String(entry.value)) : `[${i}]`,
            kind: kindOf(entry),
            range: nodeRange(doc, entry),
            selectionRange: nodeRange(doc, entry),
          };
          return child;
        });
      }
    }
    symbols.push(symbol);
  }
  return symbols;
}

function kindOf(node: Node): SymbolKind {
  switch (node.type) {
    case 'string':
      return SymbolKind.String;
    case 'number':
      return SymbolKind.Number;
    case 'boolean':
      return SymbolKind.Boolean;
    case 'array':
      return SymbolKind.Array;
    case 'object':
      return SymbolKind.Object;
    case 'null':
      return SymbolKind.Null;
    default:
      return SymbolKind.Property;
  }
}

function detailOf(key: string, value: Node): string | undefined {
  switch (value.type) {
    case 'string':
      return cut(JSON.stringify(value.value));
    case 'number':
      return key.toLowerCase() === 'memory' && Number.isInteger(value.value) && Number(value.value) > 0 ? `${String(value.value)} (${formatBytes(Number(value.value))})` : String(value.value);
    case 'boolean':
      return String(value.value);
    case 'array': {
      const n = value.children?.length ?? 0;
      return `${n} ${n === 1 ? 'entry' : 'entries'}`;
    }
    default:
      return undefined;
  }
}

function cut(text: string): string {
  return text.length > maxDetail ? `${text.slice(0, maxDetail - 1)}…` : text;
}
