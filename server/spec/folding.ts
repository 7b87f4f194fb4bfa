/** Folding ranges of a spec: objects and arrays over several lines, block comments, `// #region` markers. */
import { type SyntaxKind, createScanner } from 'jsonc-parser';
import { FoldingRange, FoldingRangeKind } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';

/** jsonc-parser's SyntaxKind values (a const enum, which isolated modules cannot read). */
const token = {
  openBrace: 1 as SyntaxKind,
  closeBrace: 2 as SyntaxKind,
  openBracket: 3 as SyntaxKind,
  closeBracket: 4 as SyntaxKind,
  lineComment: 12 as SyntaxKind,
  blockComment: 13 as SyntaxKind,
  eof: 17 as SyntaxKind,
};

export function specFolding(doc: TextDocument): FoldingRange[] {
  const text = doc.getText();
  const scanner = createScanner(text, false);
  const ranges: FoldingRange[] = [];
  const open: number[] = [];
  const regions: number[] = [];
  const line = (offset: number): number => doc.positionAt(offset).line;
  for (let kind = scanner.scan(); kind !== token.eof; kind = scanner.scan()) {
    const offset = scanner.getTokenOffset();
    switch (kind) {
      case token.openBrace:
      case token.openBracket:
        open.push(line(offset));
        break;
      case token.closeBrace:
      case token.closeBracket: {
        const start = open.pop();
        // Keep the closing line visible: fold up to the line before it.
        if (start !== undefined && line(offset) - 1 > start) ranges.push({ startLine: start, endLine: line(offset) - 1 });
        break;
      }
      case token.blockComment: {
        const start = line(offset);
        const end = line(offset + scanner.getTokenLength());
        if (end > start) ranges.push({ startLine: start, endLine: end, kind: FoldingRangeKind.Comment });
        break;
      }
      case token.lineComment: {
        const comment = text.slice(offset, offset + scanner.getTokenLength());
        if (/^\/\/\s*#region\b/.test(comment)) regions.push(line(offset));
        else if (/^\/\/\s*#endregion\b/.test(comment)) {
          const start = regions.pop();
          if (start !== undefined && line(offset) > start) ranges.push({ startLine: start, endLine: line(offset), kind: FoldingRangeKind.Region });
        }
        break;
      }
      default:
        break;
    }
  }
  return ranges.sort((a, b) => a.startLine - b.startLine);
}
