/**
 * CodeLens above a spec: "Make container…" (the client command `circuit.make`, with the document URI) and
 * the equivalent `docker run` line (a title only; the `circuit/dockerRunLine` request gives it to any client).
 */
import { CodeLens } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { readRun } from '../run/canonical';
import { dockerRunLine } from '../run/engine';
import { validateRunText } from '../run/validate';
import { spanRange, specTree } from './document';

/** The client command the "Make container…" lens runs, with the spec's URI as its argument. */
export const makeCommand = 'circuit.make';

/** Longest docker run line shown in full in a lens; longer ones are cut with "…". */
const maxLensLine = 120;

export function specCodeLenses(doc: TextDocument): CodeLens[] {
  const text = doc.getText();
  const root = specTree(text);
  if (root === undefined || root.type !== 'object') return [];
  const range = spanRange(doc, root.offset, 1);
  const lenses: CodeLens[] = [{ range, command: { title: 'Make container…', command: makeCommand, arguments: [doc.uri] } }];
  const line = specDockerRunLine(text);
  if (line !== undefined) {
    const shown = line.length > maxLensLine ? `${line.slice(0, maxLensLine - 1)}…` : line;
    lenses.push({ range, command: { title: shown, command: '', tooltip: line } });
  }
  return lenses;
}

/** The docker run line of a spec's text, or undefined while the spec has errors (there is no equivalent line then). */
export function specDockerRunLine(text: string): string | undefined {
  if (validateRunText(text).some((p) => p.severity === 'error')) return undefined;
  return dockerRunLine(readRun(text));
}
