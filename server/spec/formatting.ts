/** Formatting of a spec (whole or a range): jsonc-parser's formatter, which keeps comments. */
import { format } from 'jsonc-parser';
import { FormattingOptions, Range, TextEdit } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { spanRange } from './document';

export function specFormat(doc: TextDocument, options: FormattingOptions, range?: Range): TextEdit[] {
  const text = doc.getText();
  const span = range === undefined ? undefined : { offset: doc.offsetAt(range.start), length: doc.offsetAt(range.end) - doc.offsetAt(range.start) };
  const edits = format(text, span, {
    tabSize: options.tabSize,
    insertSpaces: options.insertSpaces,
    insertFinalNewline: options.insertFinalNewline ?? false,
    eol: text.includes('\r\n') ? '\r\n' : '\n',
    keepLines: false,
  });
  return edits.map((e) => TextEdit.replace(spanRange(doc, e.offset, e.length), e.content));
}
