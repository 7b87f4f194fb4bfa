/**
 * Wiring of the Run-spec language service to the connection: diagnostics by push (on open and change, and
 * for every open spec when the target host's facts change), completion, hover, quick fixes, CodeLens,
 * outline, formatting, folding, and the `circuit/dockerRunLine` request. Only for Run-spec documents
 * (`*.circuit.json` or language `circuit-run`). The features themselves are pure (server/spec/*.ts).
 */
import { readFile, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import {
  CodeActionKind,
  type Connection,
  ResponseError,
  type ServerCapabilities,
  type TextDocuments,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { type CircuitErrorData, DockerRunLineRequest } from '../../protocol';
import type { Host } from '../engine/host';
import { CircuitError } from '../errors';
import { type Params, requestParams } from '../params';
import { validateRunText } from '../run/validate';
import { specCodeActions } from './codeActions';
import { specCodeLenses, specDockerRunLine } from './codeLens';
import { specCompletion } from './completion';
import { specDiagnostics } from './diagnostics';
import { isSpecDocument } from './document';
import { EngineFacts } from './engineFacts';
import type { SpecFacts } from './facts';
import { specFolding } from './folding';
import { specFormat } from './formatting';
import { specHover } from './hover';
import { specSymbols } from './symbols';

/** The capabilities the Run-spec language adds; the server merges them into its InitializeResult. */
export const specCapabilities: Partial<ServerCapabilities> = {
  completionProvider: { triggerCharacters: ['"', ':', '['], resolveProvider: false },
  hoverProvider: true,
  codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
  codeLensProvider: { resolveProvider: false },
  documentSymbolProvider: true,
  documentFormattingProvider: true,
  documentRangeFormattingProvider: true,
  foldingRangeProvider: true,
};

export function registerSpecLanguage(
  connection: Connection,
  documents: TextDocuments<TextDocument>,
  hosts: () => readonly Host[],
  targetHostName: () => string | undefined,
): { hostsChanged(): void } {
  const log = (message: string) => connection.console.warn(message);
  const facts = new EngineFacts(hosts, targetHostName, log);

  /** A spec document by URI, or undefined for any other document. */
  const spec = (uri: string): TextDocument | undefined => {
    const doc = documents.get(uri);
    return doc !== undefined && isSpecDocument(doc) ? doc : undefined;
  };
  /** Runs a feature; a bug in it answers empty instead of failing the request (and is logged). */
  const safely = <T>(feature: string, fallback: T, run: () => T): T => {
    try {
      return run();
    } catch (err) {
      log(`Run-spec ${feature} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      return fallback;
    }
  };

  // Diagnostics: gathered per document and sent once per turn of the event loop, for the latest version.
  const pending = new Set<string>();
  let scheduled = false;
  const schedule = (uri: string) => {
    pending.add(uri);
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      const uris = [...pending];
      pending.clear();
      const snapshot = facts.snapshot();
      for (const uri of uris) {
        const doc = spec(uri);
        if (doc === undefined) continue;
        const diagnostics = safely('diagnostics', [], () => specDiagnostics(doc, snapshot));
        void connection.sendDiagnostics({ uri, version: doc.version, diagnostics });
      }
    });
  };
  documents.onDidOpen((e) => {
    if (isSpecDocument(e.document)) schedule(e.document.uri);
  });
  documents.onDidChangeContent((e) => {
    if (isSpecDocument(e.document)) schedule(e.document.uri);
  });
  documents.onDidClose((e) => {
    if (!isSpecDocument(e.document)) return;
    pending.delete(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });
  const revalidateAll = () => {
    for (const doc of documents.all()) if (isSpecDocument(doc)) schedule(doc.uri);
  };
  facts.onDidChange(revalidateAll);
  facts.watch();

  /**
   * Answers from the facts; when that started a list or an inspect (an image seen for the first time),
   * answers again once it is done, so a hover on a new image shows its details rather than nothing.
   */
  const withFacts = async <T>(feature: string, fallback: T, run: (snapshot: SpecFacts) => T): Promise<T> => {
    const first = safely(feature, fallback, () => run(facts.snapshot()));
    if (!facts.busy) return first;
    await facts.ready();
    return safely(feature, fallback, () => run(facts.snapshot()));
  };

  connection.onCompletion((params) => {
    const doc = spec(params.textDocument.uri);
    return doc === undefined ? null : withFacts('completion', null, (snapshot) => specCompletion(doc, params.position, snapshot));
  });
  connection.onHover((params) => {
    const doc = spec(params.textDocument.uri);
    return doc === undefined ? null : withFacts('hover', null, (snapshot) => specHover(doc, params.position, snapshot));
  });
  connection.onCodeAction((params) => {
    const doc = spec(params.textDocument.uri);
    return doc === undefined ? null : safely('code actions', [], () => specCodeActions(doc, params.range, params.context.diagnostics));
  });
  connection.onCodeLens((params) => {
    const doc = spec(params.textDocument.uri);
    return doc === undefined ? null : safely('code lenses', [], () => specCodeLenses(doc));
  });
  connection.onDocumentSymbol((params) => {
    const doc = spec(params.textDocument.uri);
    return doc === undefined ? null : safely('symbols', [], () => specSymbols(doc));
  });
  connection.onDocumentFormatting((params) => {
    const doc = spec(params.textDocument.uri);
    return doc === undefined ? null : safely('formatting', [], () => specFormat(doc, params.options));
  });
  connection.onDocumentRangeFormatting((params) => {
    const doc = spec(params.textDocument.uri);
    return doc === undefined ? null : safely('formatting', [], () => specFormat(doc, params.options, params.range));
  });
  connection.onFoldingRanges((params) => {
    const doc = spec(params.textDocument.uri);
    return doc === undefined ? null : safely('folding', [], () => specFolding(doc));
  });

  connection.onRequest(DockerRunLineRequest.method, async (...args: unknown[]): Promise<DockerRunLineRequest.Result | ResponseError<CircuitErrorData>> => {
    args.pop(); // the cancellation token; the params come spread out before it
    try {
      return { line: dockerRunLineOf(await specText(requestParams(args, DockerRunLineRequest.method), documents)) };
    } catch (err) {
      if (err instanceof CircuitError) return err.toResponseError();
      log(`circuit/dockerRunLine failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      return new CircuitError('invalid-params', `Cannot read the spec: ${err instanceof Error ? err.message : String(err)}`, 'uri').toResponseError();
    }
  });

  return {
    /** The configured hosts changed: watch the new ones and judge every open spec against the target host now. */
    hostsChanged() {
      facts.watch();
      revalidateAll();
    },
  };
}

/** The largest spec file circuit/dockerRunLine reads from disk. */
const MAX_SPEC_FILE_BYTES = 16 * 1024 * 1024;

/** The text of the spec a dockerRunLine request names: the open document, else a file:// URI read from disk. */
async function specText(params: Params, documents: TextDocuments<TextDocument>): Promise<string> {
  const uri = params.uri;
  if (typeof uri !== 'string' || uri === '') throw new CircuitError('invalid-params', 'circuit/dockerRunLine needs { uri }: the URI of a Run spec', 'uri');
  const open = documents.get(uri);
  if (open !== undefined) return open.getText();
  if (!uri.startsWith('file:')) throw new CircuitError('invalid-params', `${uri} is not an open document`, 'uri');
  try {
    // Only a regular file of a spec's size: a device (file:///dev/zero read 512 MB into the server before
    // failing), a FIFO or a huge file is refused before it is opened.
    const file = fileURLToPath(uri);
    const info = await stat(file);
    if (!info.isFile()) throw new Error('it is not a regular file');
    if (info.size > MAX_SPEC_FILE_BYTES) throw new Error(`it has ${info.size} bytes; a spec file has at most ${MAX_SPEC_FILE_BYTES}`);
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new CircuitError('invalid-params', `${uri} is neither open nor readable: ${err instanceof Error ? err.message : String(err)}`, 'uri');
  }
}

/** The docker run line of a spec, or invalid-run naming its first error. */
function dockerRunLineOf(text: string): string {
  const line = specDockerRunLine(text);
  if (line !== undefined) return line;
  const first = validateRunText(text).find((p) => p.severity === 'error')!;
  throw new CircuitError('invalid-run', first.message, first.field ?? first.data?.key);
}
