import * as fs from 'node:fs';
import { parseArgs } from 'node:util';
import { ConfigResolver, defaultConfig, type DeepLintConfig } from '../../core/config';
import { FORMATS, formatGithub, formatJson, formatSarif, formatText, type Format } from '../format';
import type { Report, ReportedFinding } from '../format/types';
import { UsageError, type Io } from '../errors';
import { fixFile, type FixOutcome } from '../fix-files';
import { analyzeTargets, locator } from '../run-files';

function codeList(values: string[] | undefined): string[] | undefined {
  if (!values) return undefined;
  return values.flatMap((value) => value.split(',')).map((code) => code.trim().toUpperCase()).filter(Boolean);
}

export function parseFormat(value: string | undefined, allowed: readonly string[] = FORMATS): Format {
  const format = value ?? 'text';
  if (!allowed.includes(format)) throw new UsageError(`unknown format '${format}'; use one of ${allowed.join(', ')}`);
  return format as Format;
}

/** Builds the base configuration from command-line overrides; files found per path apply on top of nothing else. */
function cliOverrides(select: string[] | undefined, ignore: string[] | undefined) {
  return (config: DeepLintConfig): DeepLintConfig => ({
    ...config,
    ...(select ? { select } : {}),
    ...(ignore ? { ignore: [...config.ignore, ...ignore] } : {}),
  });
}

export const CHECK_HELP = `Usage: deeplint check [PATH...] [options]

Lints PyTorch, Keras and TensorFlow.js model code. PATH is a file, folder or notebook (default: .).

Options:
  --format text|json|sarif|github   Output format (default: text)
  --select CODES                    Only these rule codes or prefixes, comma-separated (e.g. DL1,DL201)
  --ignore CODES                    Skip these rule codes or prefixes
  --config FILE                     Use this deeplint.toml or pyproject.toml instead of the nearest one
  --fix                             Apply safe fixes in place, then report what remains
  --unsafe-fixes                    With --fix, also apply fixes that may change behaviour

Exit status: 0 no findings, 1 findings reported, 2 usage or internal error.
`;

export function runCheck(argv: string[], io: Io, version: string): number {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      format: { type: 'string' },
      select: { type: 'string', multiple: true },
      ignore: { type: 'string', multiple: true },
      config: { type: 'string' },
      fix: { type: 'boolean' },
      'unsafe-fixes': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout(CHECK_HELP);
    return 0;
  }
  const format = parseFormat(values.format);
  if (values.config !== undefined && !fs.existsSync(values.config)) {
    throw new UsageError(`config file '${values.config}' does not exist`);
  }
  const override = cliOverrides(codeList(values.select), codeList(values.ignore));
  const resolver = new OverridingResolver(values.config, override);
  const outcome = analyzeTargets(positionals.length > 0 ? positionals : ['.'], resolver);
  if (values['unsafe-fixes'] && !values.fix) throw new UsageError('--unsafe-fixes goes with --fix');
  const fixes: FixOutcome[] = [];
  if (values.fix) {
    for (const file of outcome.files) {
      const { outcome: fixed, analysis } = fixFile(file, values['unsafe-fixes'] === true);
      file.analysis = analysis;
      file.locate = locator(analysis);
      if (fixed.refusal) outcome.errors.push({ path: file.path, message: fixed.refusal });
      if (fixed.fixed.size > 0) fixes.push(fixed);
    }
  }
  const findings: ReportedFinding[] = [];
  for (const file of outcome.files) {
    for (const finding of file.analysis.findings) {
      findings.push({
        path: file.path,
        code: finding.code,
        name: finding.name,
        severity: finding.severity,
        message: finding.message,
        ...file.locate(finding.span),
        fix: finding.fix
          ? {
              title: finding.fix.title,
              safe: finding.fix.safe,
              edits: finding.fix.edits.map((edit) => ({ ...file.locate(edit.span), newText: edit.newText })),
            }
          : null,
      });
    }
  }
  const report: Report = { findings, errors: outcome.errors };
  for (const fixed of fixes) {
    const counts = [...fixed.fixed].map(([code, count]) => `${code} ×${count}`).join(', ');
    io.stderr(`Fixed ${fixed.path}: ${counts}\n`);
  }
  switch (format) {
    case 'json':
      io.stdout(formatJson(report));
      break;
    case 'sarif':
      io.stdout(formatSarif(report, version));
      break;
    case 'github':
      io.stdout(formatGithub(report));
      break;
    default:
      io.stdout(formatText(report));
  }
  return findings.length > 0 ? 1 : 0;
}

/** Applies command-line overrides on top of whichever config file governs each path. */
class OverridingResolver extends ConfigResolver {
  constructor(
    file: string | undefined,
    private readonly override: (config: DeepLintConfig) => DeepLintConfig,
  ) {
    super(file, defaultConfig());
  }

  override resolve(target: string) {
    const loaded = super.resolve(target);
    return { ...loaded, config: this.override(loaded.config) };
  }
}
