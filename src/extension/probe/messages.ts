// Messages the probe webview may send. Everything from the webview is untrusted input: it is parsed here and
// anything unexpected is dropped. No `vscode` import: unit-tested directly.

/** The page states the extension renders (the `data-state` of the page's body). */
export const PAGE_STATES = ['running', 'result', 'error'] as const;
export type PageState = (typeof PAGE_STATES)[number];

export type ProbeWebviewMessage =
  /** Show the layer in the editor; `index` is the layer's index in the probe result's table. */
  | { type: 'reveal'; index: number }
  /** Run the probe again with the same model. */
  | { type: 'rerun' }
  /** The page's script ran: the state its page shows and how many layer marks its chart has. */
  | { type: 'ready'; state: PageState; layers: number };

function isIndex(value: unknown, below: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < below;
}

export function parseProbeMessage(value: unknown, layerCount: number): ProbeWebviewMessage | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const message = value as Record<string, unknown>;
  const keys = Object.keys(message).length;
  if (message['type'] === 'rerun' && keys === 1) return { type: 'rerun' };
  if (message['type'] === 'reveal' && keys === 2) {
    const index = message['index'];
    if (isIndex(index, layerCount)) return { type: 'reveal', index };
  }
  if (message['type'] === 'ready' && keys === 3) {
    const state = PAGE_STATES.find((candidate) => candidate === message['state']);
    const layers = message['layers'];
    if (state && isIndex(layers, layerCount + 1)) return { type: 'ready', state, layers };
  }
  return undefined;
}
