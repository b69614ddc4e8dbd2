/** Where each rule's generated documentation lives; the same link is used by editors, SARIF and the CLI. */
export const DOCS_BASE_URL = 'https://github.com/deeplint/deeplint/blob/main/docs/rules/';

export function ruleDocsUrl(code: string): string {
  return `${DOCS_BASE_URL}${code}.md`;
}
