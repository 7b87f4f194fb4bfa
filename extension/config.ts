/** The extension's settings, typed (section `circuit` of package.json's configuration). */
import * as vscode from 'vscode';
import type { CircuitSettings, HostConfig } from '../protocol';

export const section = 'circuit';

export class Config {
  /** `circuit.hosts`: scope machine, so a workspace cannot redirect Docker connections. */
  get hosts(): HostConfig[] {
    // VS Code ignores machine-scoped values in workspace settings, so this is the user's (or the
    // remote machine's) list only.
    return vscode.workspace.getConfiguration(section).get<HostConfig[]>('hosts') ?? [];
  }

  /** The settings the server reads, as initializationOptions. */
  get serverSettings(): CircuitSettings {
    return { hosts: this.hosts };
  }

  /** Whether a configuration change concerns what the server reads. */
  affectsServer(e: vscode.ConfigurationChangeEvent): boolean {
    return e.affectsConfiguration(`${section}.hosts`);
  }
}
