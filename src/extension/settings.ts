// The `deeplint.*` settings as one typed record. This module has no `vscode` import so a unit test can hold it
// against package.json's `contributes.configuration`; config.ts reads the values through the vscode API.
import { applyConfigTable, type DeepLintConfig, type ProbeConfig, type SeveritySetting } from '../core/config';

export interface DeepLintSettings {
  /** Analyse documents at all. */
  enable: boolean;
  /** Rule codes or prefixes to enable; empty keeps the configuration file's selection. */
  select: string[];
  /** Rule codes or prefixes to disable, on top of the configuration file's. */
  ignore: string[];
  /** Severity overrides by rule code or name. */
  severity: Record<string, SeveritySetting>;
  /** Rule options by rule code or name, e.g. `{ "DL201": { "min-depth": 6 } }`. */
  rules: Record<string, Record<string, number | boolean>>;
  /** Delay after the last edit before a document is analysed again. */
  debounceMs: number;
  /** Files larger than this many bytes (UTF-8) are skipped. */
  maxFileBytes: number;
  /** Where the gradient-health probe runs. */
  'probe.device': ProbeConfig['device'];
  /** Samples per probe batch. */
  'probe.batch': number;
}

export type SettingKey = keyof DeepLintSettings;

export const SETTINGS_SECTION = 'deeplint';

export const SETTING_DEFAULTS: Readonly<DeepLintSettings> = Object.freeze({
  enable: true,
  select: [],
  ignore: [],
  severity: {},
  rules: {},
  debounceMs: 200,
  maxFileBytes: 2 * 1024 * 1024,
  'probe.device': 'auto',
  'probe.batch': 64,
});

export const SETTING_KEYS = Object.keys(SETTING_DEFAULTS) as SettingKey[];

/**
 * Lays the settings a user set explicitly over the configuration from deeplint.toml or `[tool.deeplint]`, so
 * the editor and the CLI agree unless the user chose otherwise in the editor. `select` replaces the file's
 * selection; `ignore` adds to it; severities and rule options merge rule by rule.
 */
export function applySettings(base: DeepLintConfig, explicit: Partial<DeepLintSettings>, problems: string[]): DeepLintConfig {
  const table: Record<string, unknown> = {};
  if (explicit.select && explicit.select.length > 0) table['select'] = explicit.select;
  if (explicit.ignore && explicit.ignore.length > 0) table['extend-ignore'] = explicit.ignore;
  if (explicit.severity && Object.keys(explicit.severity).length > 0) table['severity'] = explicit.severity;
  if (explicit.rules && Object.keys(explicit.rules).length > 0) table['rules'] = explicit.rules;
  const probe: Record<string, unknown> = {};
  if (explicit['probe.device'] !== undefined) probe['device'] = explicit['probe.device'];
  if (explicit['probe.batch'] !== undefined) probe['batch'] = explicit['probe.batch'];
  if (Object.keys(probe).length > 0) table['probe'] = probe;
  if (explicit.maxFileBytes !== undefined) table['max-file-bytes'] = explicit.maxFileBytes;
  const settingProblems: string[] = [];
  const config = applyConfigTable(base, table, settingProblems);
  for (const problem of settingProblems) problems.push(`deeplint.* settings: ${problem}`);
  return config;
}
