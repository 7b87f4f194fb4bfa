/**
 * Peek documents: a read-only virtual document per anchor with the engine's inspect JSON. Opening Peek
 * again for the same anchor shows the same tab, refreshed; the document also refreshes by itself when
 * the server reports that anchor changed (no polling).
 */
import * as vscode from 'vscode';
import { PeekRequest } from '../protocol';
import type { AnchorMirror } from './anchorMirror';
import type { Ctx } from './ctx';
import { errorMessage } from './errors';
import { anchorOfPeekUriPath, peekScheme, peekUriPath } from './peekPath';

export class PeekDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changeEmitter.event;
  private readonly subscriptions: Array<{ dispose(): void }> = [];

  constructor(
    private readonly ctx: Ctx,
    mirror: AnchorMirror,
  ) {
    this.subscriptions.push(
      vscode.workspace.registerTextDocumentContentProvider(peekScheme, this),
      mirror.onDidChange((change) => {
        for (const doc of vscode.workspace.textDocuments) {
          if (doc.uri.scheme !== peekScheme) continue;
          const anchor = anchorOfPeekUriPath(doc.uri.path);
          if (change.all || change.paths.includes(anchor)) this.changeEmitter.fire(doc.uri);
        }
      }),
    );
  }

  static uri(anchorPath: string): vscode.Uri {
    return vscode.Uri.from({ scheme: peekScheme, path: peekUriPath(anchorPath) });
  }

  /** Opens (or shows again, refreshed) the Peek document of an anchor. */
  async open(anchorPath: string): Promise<void> {
    const uri = PeekDocuments.uri(anchorPath);
    const already = vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString());
    const doc = await vscode.workspace.openTextDocument(uri);
    if (already) this.changeEmitter.fire(uri);
    await vscode.window.showTextDocument(doc, { preview: false });
    if (doc.languageId !== 'jsonc') await vscode.languages.setTextDocumentLanguage(doc, 'jsonc');
  }

  refresh(uri: vscode.Uri): void {
    this.changeEmitter.fire(uri);
  }

  async provideTextDocumentContent(uri: vscode.Uri, token: vscode.CancellationToken): Promise<string> {
    const anchor = anchorOfPeekUriPath(uri.path);
    try {
      const inspect = await this.ctx.sendRequest(PeekRequest.type, { path: anchor }, token);
      return `${JSON.stringify(inspect, null, 2)}\n`;
    } catch (err) {
      return `// Peek ${anchor}: ${errorMessage(err)}\n`;
    }
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.changeEmitter.dispose();
  }
}
