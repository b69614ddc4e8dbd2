// Resolves the configuration of one document: the nearest deeplint.toml or pyproject.toml `[tool.deeplint]`
// (what the CLI reads), then the `deeplint.*` settings the user set for that resource on top.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { defaultConfig, findConfigFile, loadConfigFile, type DeepLintConfig, type LoadedConfig } from '../core/config';
import { applySettings, SETTING_DEFAULTS, SETTING_KEYS, SETTINGS_SECTION, type DeepLintSettings } from './settings';

export interface ResolvedConfig {
  config: DeepLintConfig;
  settings: DeepLintSettings;
  /** The configuration file the document follows, if any. */
  file?: string;
}

/** The settings in effect for a resource, and those the user set explicitly (anything but the default). */
export function readSettings(scope: vscode.ConfigurationScope | undefined): { effective: DeepLintSettings; explicit: Partial<DeepLintSettings> } {
  const section = vscode.workspace.getConfiguration(SETTINGS_SECTION, scope);
  const effective = { ...SETTING_DEFAULTS } as Record<string, unknown>;
  const explicit: Record<string, unknown> = {};
  for (const key of SETTING_KEYS) {
    const inspected = section.inspect(key);
    const set =
      inspected?.workspaceFolderLanguageValue ??
      inspected?.workspaceLanguageValue ??
      inspected?.globalLanguageValue ??
      inspected?.workspaceFolderValue ??
      inspected?.workspaceValue ??
      inspected?.globalValue;
    if (set !== undefined) explicit[key] = set;
    effective[key] = section.get(key, SETTING_DEFAULTS[key]);
  }
  return { effective: effective as unknown as DeepLintSettings, explicit: explicit as Partial<DeepLintSettings> };
}

/**
 * Caches each folder's configuration file and each resource's settings: a watcher clears the files when one
 * changes, a configuration change clears the settings. Reading nine settings through `inspect` costs
 * milliseconds, too much to repeat on every keystroke.
 */
export class ConfigResolver {
  private readonly byDirectory = new Map<string, LoadedConfig | null>();
  private readonly settingsByResource = new Map<string, ReturnType<typeof readSettings>>();

  constructor(private readonly report: (problem: string) => void) {}

  /** Forgets cached files, after a deeplint.toml or pyproject.toml changed. */
  clear(): void {
    this.byDirectory.clear();
  }

  /** Forgets cached settings, after the user changed `deeplint.*` settings. */
  clearSettings(): void {
    this.settingsByResource.clear();
  }

  private settingsFor(uri: vscode.Uri): ReturnType<typeof readSettings> {
    const key = uri.toString();
    let settings = this.settingsByResource.get(key);
    if (!settings) {
      settings = readSettings(uri);
      this.settingsByResource.set(key, settings);
    }
    return settings;
  }

  private fileConfig(directory: string): LoadedConfig | null {
    if (this.byDirectory.has(directory)) return this.byDirectory.get(directory) ?? null;
    const file = findConfigFile(directory);
    const loaded = file ? loadConfigFile(file) : null;
    for (const problem of loaded?.problems ?? []) this.report(problem);
    this.byDirectory.set(directory, loaded);
    return loaded;
  }

  resolve(uri: vscode.Uri): ResolvedConfig {
    const { effective, explicit } = this.settingsFor(uri);
    // Files not on disk (untitled, notebook cells) follow their workspace folder's configuration.
    const folder = vscode.workspace.getWorkspaceFolder(uri) ?? vscode.workspace.workspaceFolders?.[0];
    const directory = uri.scheme === 'file' ? path.dirname(uri.fsPath) : folder?.uri.scheme === 'file' ? folder.uri.fsPath : undefined;
    const loaded = directory ? this.fileConfig(directory) : null;
    const problems: string[] = [];
    const config = applySettings(loaded?.config ?? defaultConfig(), explicit, problems);
    for (const problem of problems) this.report(problem);
    return { config, settings: effective, ...(loaded?.source ? { file: loaded.source } : {}) };
  }
}
