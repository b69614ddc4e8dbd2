// Messages the probe webview may send. Everything from the webview is untrusted input: it is parsed here and
// anything unexpected is dropped. No `vscode` import: unit-tested directly.

export type ProbeWebviewMessage =
  /** Show the layer in the editor; `index` is the layer's index in the probe result's table. */
  | { type: 'reveal'; index: number }
  /** Run the probe again with the same model. */
  | { type: 'rerun' };

export function parseProbeMessage(value: unknown, layerCount: number): ProbeWebviewMessage | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const message = value as Record<string, unknown>;
  if (message['type'] === 'rerun' && Object.keys(message).length === 1) return { type: 'rerun' };
  if (message['type'] === 'reveal' && Object.keys(message).length === 2) {
    const index = message['index'];
    if (typeof index === 'number' && Number.isInteger(index) && index >= 0 && index < layerCount) return { type: 'reveal', index };
  }
  return undefined;
}
