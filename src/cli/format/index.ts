import { ruleDocsUrl } from '../../core/docs';
import { findRule, RULES } from '../../core/rules/registry';
import type { Report, ReportedFinding } from './types';

export const FORMATS = ['text', 'json', 'sarif', 'github'] as const;
export type Format = (typeof FORMATS)[number];

function place(finding: { path: string; line: number; column: number; cell?: number }): string {
  return finding.cell === undefined
    ? `${finding.path}:${finding.line}:${finding.column}`
    : `${finding.path}:cell ${finding.cell}:${finding.line}:${finding.column}`;
}

export function formatText(report: Report): string {
  const out: string[] = [];
  for (const finding of report.findings) {
    const fixable = finding.fix ? (finding.fix.safe ? ' [*]' : ' [fix available: --unsafe-fixes]') : '';
    out.push(`${place(finding)}: ${finding.code} [${finding.severity}] ${finding.message}${fixable}`);
  }
  for (const error of report.errors) {
    const where = error.line === undefined ? error.path : `${error.path}:${error.line}:${error.column ?? 1}`;
    out.push(`${where}: error: ${error.message}`);
  }
  const counts = { error: 0, warning: 0, info: 0 };
  for (const finding of report.findings) counts[finding.severity]++;
  const total = report.findings.length;
  const fixable = report.findings.filter((finding) => finding.fix?.safe).length;
  if (total === 0) out.push('No problems found.');
  else {
    out.push(
      `Found ${total} problem${total === 1 ? '' : 's'} (${counts.error} error, ${counts.warning} warning, ${counts.info} info).`,
    );
    if (fixable > 0) out.push(`${fixable} fixable with --fix.`);
  }
  return out.join('\n') + '\n';
}

export function formatJson(report: Report): string {
  return JSON.stringify({ version: 1, findings: report.findings, errors: report.errors }, null, 2) + '\n';
}

const SARIF_LEVEL = { error: 'error', warning: 'warning', info: 'note' } as const;

function sarifRegion(location: { line: number; column: number; endLine: number; endColumn: number }) {
  return {
    startLine: location.line,
    startColumn: location.column,
    endLine: location.endLine,
    endColumn: location.endColumn,
  };
}

function sarifUri(file: string): string {
  return file.split(/[\\/]/).map(encodeURIComponent).join('/');
}

export function formatSarif(report: Report, version: string): string {
  const usedCodes = new Set(report.findings.map((finding) => finding.code));
  const rules = RULES.filter((rule) => usedCodes.has(rule.code));
  const ruleIndex = new Map(rules.map((rule, index) => [rule.code, index]));
  const results = report.findings.map((finding: ReportedFinding) => ({
    ruleId: finding.code,
    ruleIndex: ruleIndex.get(finding.code),
    level: SARIF_LEVEL[finding.severity],
    message: { text: finding.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: sarifUri(finding.path) },
          region: sarifRegion(finding),
        },
        ...(finding.cell === undefined ? {} : { properties: { cell: finding.cell } }),
      },
    ],
    ...(finding.fix
      ? {
          fixes: [
            {
              description: { text: finding.fix.title },
              artifactChanges: [
                {
                  artifactLocation: { uri: sarifUri(finding.path) },
                  replacements: finding.fix.edits.map((edit) => ({
                    deletedRegion: sarifRegion(edit),
                    insertedContent: { text: edit.newText },
                  })),
                },
              ],
            },
          ],
        }
      : {}),
  }));
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'deeplint',
            version,
            informationUri: 'https://github.com/deeplint/deeplint',
            rules: rules.map((rule) => ({
              id: rule.code,
              name: rule.name,
              shortDescription: { text: rule.docs.summary },
              fullDescription: { text: rule.docs.whatItDoes },
              helpUri: ruleDocsUrl(rule.code),
              defaultConfiguration: { level: SARIF_LEVEL[rule.severity] },
              properties: { category: rule.category },
            })),
          },
        },
        results,
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: report.errors.map((error) => ({
              level: 'error',
              message: { text: error.message },
              locations: [{ physicalLocation: { artifactLocation: { uri: sarifUri(error.path) } } }],
            })),
          },
        ],
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}

function escapeData(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

const GITHUB_LEVEL = { error: 'error', warning: 'warning', info: 'notice' } as const;

/** GitHub Actions workflow commands, which show as annotations on the pull request. */
export function formatGithub(report: Report): string {
  const out = report.findings.map((finding) => {
    const title = `${finding.code} ${findRule(finding.code)?.name ?? finding.name}`;
    const properties = [
      `file=${escapeProperty(finding.path)}`,
      `line=${finding.line}`,
      `col=${finding.column}`,
      `endLine=${finding.endLine}`,
      `endColumn=${finding.endColumn}`,
      `title=${escapeProperty(title)}`,
    ].join(',');
    const cell = finding.cell === undefined ? '' : `cell ${finding.cell}: `;
    return `::${GITHUB_LEVEL[finding.severity]} ${properties}::${escapeData(cell + finding.message)}`;
  });
  for (const error of report.errors) out.push(`::error file=${escapeProperty(error.path)}::${escapeData(error.message)}`);
  return out.length > 0 ? out.join('\n') + '\n' : '';
}
