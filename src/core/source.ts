export interface DecodedSource {
  text: string;
  /** Why the bytes could not be read as text, when they could not; `text` is then empty. */
  refusal?: string;
  /** Problems that did not stop the analysis, such as invalid UTF-8 replaced by U+FFFD. */
  warnings: string[];
}

/** Decodes a file's bytes as UTF-8 source, refusing binary files. */
export function decodeSource(bytes: Uint8Array): DecodedSource {
  const probe = bytes.subarray(0, 8192);
  if (probe.includes(0)) {
    return { text: '', refusal: 'binary file (contains NUL bytes), skipped', warnings: [] };
  }
  const warnings: string[] = [];
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    text = new TextDecoder('utf-8').decode(bytes);
    warnings.push('file is not valid UTF-8; undecodable bytes were read as U+FFFD');
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return { text, warnings };
}
