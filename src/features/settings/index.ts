// The one reader of Switchyard's settings: typed getters over VS Code's configuration, defaults from
// src/settings.ts, and one change event that says which settings changed.
import * as vscode from 'vscode';
import { SETTING_DEFAULTS, SETTINGS_SECTION, type NotificationsSetting, type SettingKey, type SettingValues } from '../../settings';

const KEYS = Object.keys(SETTING_DEFAULTS) as SettingKey[];

export class Settings implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<ReadonlySet<SettingKey>>();
  /** Fires once per configuration change with the Switchyard settings it touched. */
  readonly onDidChange = this.emitter.event;
  private readonly listener = vscode.workspace.onDidChangeConfiguration((e) => {
    const changed = new Set(KEYS.filter((key) => e.affectsConfiguration(`${SETTINGS_SECTION}.${key}`)));
    if (changed.size) this.emitter.fire(changed);
  });

  get<K extends SettingKey>(key: K): SettingValues[K] {
    return vscode.workspace.getConfiguration(SETTINGS_SECTION).get<SettingValues[K]>(key, SETTING_DEFAULTS[key]);
  }

  get kubeconfig(): string | undefined {
    return this.get('kubeconfig') || undefined;
  }

  get namespaces(): string[] {
    return this.get('namespaces');
  }

  get contexts(): string[] {
    const value = this.get('contexts');
    return Array.isArray(value) ? value.filter((c): c is string => typeof c === 'string') : [];
  }

  get protectedContexts(): string[] {
    return this.get('protectedContexts');
  }

  get readOnly(): boolean {
    return this.get('readOnly');
  }

  get diagnosticsEnabled(): boolean {
    return this.get('diagnostics.enabled');
  }

  get hoverEnabled(): boolean {
    return this.get('hover.enabled');
  }

  get notifications(): NotificationsSetting {
    const value = this.get('notifications');
    // A hand-edited settings.json may say anything: what is not a choice means the default.
    return value === 'off' || value === 'all' ? value : 'mine';
  }

  dispose(): void {
    this.listener.dispose();
    this.emitter.dispose();
  }
}
