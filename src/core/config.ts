import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import type { RuleOptions, Severity } from './rules/types';

export type SeveritySetting = Severity | 'off';

export interface ProbeConfig {
  batch: number;
  device: 'auto' | 'cpu' | 'cuda' | 'dml' | 'coreml' | 'webgpu' | 'wasm';
  seed: number;
  /** Refuse probes whose tensors would need more bytes than this. */
  memoryBudgetBytes: number;
  timeoutMs: number;
}

/** Settings shared by the CLI and the editor; the editor's `deeplint.*` settings map onto the same shape. */
export interface DeepLintConfig {
  /** Rule codes or code prefixes to enable. */
  select: string[];
  /** Rule codes or code prefixes to disable; wins over `select`. */
  ignore: string[];
  /** Severity overrides by rule code or name. */
  severity: Record<string, SeveritySetting>;
  /** Rule thresholds by rule code or name, option names in camelCase. */
  ruleOptions: Record<string, RuleOptions>;
  /** Files larger than this are skipped with a message. */
  maxFileBytes: number;
  probe: ProbeConfig;
}

export function defaultConfig(): DeepLintConfig {
  return {
    select: ['DL'],
    ignore: [],
    severity: {},
    ruleOptions: {},
    maxFileBytes: 2 * 1024 * 1024,
    probe: { batch: 64, device: 'auto', seed: 0, memoryBudgetBytes: 2 * 1024 ** 3, timeoutMs: 30_000 },
  };
}

export interface LoadedConfig {
  config: DeepLintConfig;
  /** The file the settings came from, if any. */
  source?: string;
  /** Problems found in the file; the rest of the file still applies. */
  problems: string[];
}

const SEVERITIES: ReadonlySet<string> = new Set(['error', 'warning', 'info', 'off']);
const DEVICES: ReadonlySet<string> = new Set(['auto', 'cpu', 'cuda', 'dml', 'coreml', 'webgpu', 'wasm']);

function camelCase(key: string): string {
  return key.replace(/[-_]([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringList(value: unknown, key: string, problems: string[]): string[] | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value as string[];
  problems.push(`\`${key}\` must be a list of rule codes or prefixes`);
  return undefined;
}

/** Applies a `[tool.deeplint]` table (or a whole deeplint.toml) on top of `base`. */
export function applyConfigTable(base: DeepLintConfig, table: Record<string, unknown>, problems: string[]): DeepLintConfig {
  const config: DeepLintConfig = {
    ...base,
    severity: { ...base.severity },
    ruleOptions: { ...base.ruleOptions },
    probe: { ...base.probe },
  };
  for (const [key, value] of Object.entries(table)) {
    switch (key) {
      case 'select':
      case 'ignore': {
        const list = stringList(value, key, problems);
        if (list) config[key] = list.map((code) => code.toUpperCase());
        break;
      }
      case 'extend-ignore':
      case 'extend-select': {
        const list = stringList(value, key, problems);
        const target = key === 'extend-ignore' ? 'ignore' : 'select';
        if (list) config[target] = [...config[target], ...list.map((code) => code.toUpperCase())];
        break;
      }
      case 'severity': {
        if (!isRecord(value)) {
          problems.push('`severity` must be a table of rule = "error" | "warning" | "info" | "off"');
          break;
        }
        for (const [rule, level] of Object.entries(value)) {
          if (typeof level === 'string' && SEVERITIES.has(level)) config.severity[rule] = level as SeveritySetting;
          else problems.push(`severity of ${rule} must be "error", "warning", "info" or "off"`);
        }
        break;
      }
      case 'rules': {
        if (!isRecord(value)) {
          problems.push('`rules` must be a table of rule tables');
          break;
        }
        for (const [rule, options] of Object.entries(value)) {
          if (!isRecord(options)) {
            problems.push(`rules.${rule} must be a table of options`);
            continue;
          }
          const parsed: RuleOptions = { ...config.ruleOptions[rule] };
          for (const [option, optionValue] of Object.entries(options)) {
            if (typeof optionValue === 'number' || typeof optionValue === 'boolean') parsed[camelCase(option)] = optionValue;
            else problems.push(`rules.${rule}.${option} must be a number or a boolean`);
          }
          config.ruleOptions[rule] = parsed;
        }
        break;
      }
      case 'max-file-bytes':
        if (typeof value === 'number' && value > 0) config.maxFileBytes = value;
        else problems.push('`max-file-bytes` must be a positive number');
        break;
      case 'probe': {
        if (!isRecord(value)) {
          problems.push('`probe` must be a table');
          break;
        }
        applyProbeTable(config.probe, value, problems);
        break;
      }
      default:
        problems.push(`unknown setting \`${key}\``);
    }
  }
  return config;
}

function applyProbeTable(probe: ProbeConfig, table: Record<string, unknown>, problems: string[]): void {
  for (const [key, value] of Object.entries(table)) {
    if (key === 'device') {
      if (typeof value === 'string' && DEVICES.has(value)) probe.device = value as ProbeConfig['device'];
      else problems.push('probe.device must be one of auto, cpu, cuda, dml, coreml, webgpu, wasm');
    } else if (key === 'batch' || key === 'seed' || key === 'timeout-ms' || key === 'memory-budget-mb') {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || (key === 'batch' && value < 1)) {
        problems.push(`probe.${key} must be a ${key === 'batch' ? 'positive' : 'non-negative'} integer`);
      } else if (key === 'batch') probe.batch = value;
      else if (key === 'seed') probe.seed = value;
      else if (key === 'timeout-ms') probe.timeoutMs = value;
      else probe.memoryBudgetBytes = value * 1024 * 1024;
    } else {
      problems.push(`unknown setting \`probe.${key}\``);
    }
  }
}

/** Reads one config file: a deeplint.toml, or a pyproject.toml's `[tool.deeplint]` table. */
export function loadConfigFile(file: string, base: DeepLintConfig = defaultConfig()): LoadedConfig {
  const problems: string[] = [];
  let document: Record<string, unknown>;
  try {
    document = parseToml(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return { config: base, source: file, problems: [`${file}: cannot read configuration: ${reason}`] };
  }
  let table: unknown = document;
  if (path.basename(file) === 'pyproject.toml') {
    const tool = document['tool'];
    table = isRecord(tool) ? tool['deeplint'] : undefined;
    if (table === undefined) return { config: base, problems: [] };
  }
  if (!isRecord(table)) return { config: base, source: file, problems: [`${file}: [tool.deeplint] must be a table`] };
  const config = applyConfigTable(base, table, problems);
  return { config, source: file, problems: problems.map((problem) => `${file}: ${problem}`) };
}

function pyprojectHasDeeplint(file: string): boolean {
  try {
    return /^\s*\[tool\.deeplint[\].]/m.test(fs.readFileSync(file, 'utf8'));
  } catch {
    return false;
  }
}

/** Finds the nearest deeplint.toml, or pyproject.toml with a `[tool.deeplint]` table, at or above `start`. */
export function findConfigFile(start: string): string | undefined {
  let dir = path.resolve(start);
  try {
    if (!fs.statSync(dir).isDirectory()) dir = path.dirname(dir);
  } catch {
    dir = path.dirname(dir);
  }
  for (;;) {
    const own = path.join(dir, 'deeplint.toml');
    if (fs.existsSync(own)) return own;
    const pyproject = path.join(dir, 'pyproject.toml');
    if (fs.existsSync(pyproject) && pyprojectHasDeeplint(pyproject)) return pyproject;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Caches configuration per directory so a folder walk reads each config file once. */
export class ConfigResolver {
  private readonly byFile = new Map<string, LoadedConfig>();
  private readonly reported = new Set<string>();

  constructor(
    private readonly explicitFile?: string,
    private readonly base: DeepLintConfig = defaultConfig(),
  ) {}

  resolve(target: string): LoadedConfig {
    const file = this.explicitFile ?? findConfigFile(target);
    if (!file) return { config: this.base, problems: [] };
    let loaded = this.byFile.get(file);
    if (!loaded) {
      loaded = loadConfigFile(file, this.base);
      this.byFile.set(file, loaded);
    }
    return loaded;
  }

  /** Problems of each config file, reported once per file. */
  takeProblems(loaded: LoadedConfig): string[] {
    if (!loaded.source || this.reported.has(loaded.source)) return [];
    this.reported.add(loaded.source);
    return loaded.problems;
  }
}
