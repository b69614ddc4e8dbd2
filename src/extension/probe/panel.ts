// The probe panel: one webview, reused for each probe, following the webview sample (createOrShow, local
// resources from media/probe only, CSP with a nonce script, typed and validated messages).
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { renderProbeHtml, type ProbePanelState } from './html';
import { parseProbeMessage, type PageState } from './messages';

export const PROBE_VIEW_TYPE = 'deeplint.probe';

/** What the page's script reported once it loaded: proof that the page rendered and its script runs under the policy. */
export interface ProbePageReady {
  state: PageState;
  /** The layer marks in the page's chart. */
  layers: number;
}

export interface ProbePanelHandlers {
  reveal(index: number): void;
  rerun(): void;
}

export class ProbePanel {
  private static current: ProbePanel | undefined;
  private layerCount = 0;
  private handlers: ProbePanelHandlers | undefined;
  private ready: ProbePageReady | undefined;

  private constructor(
    private readonly ctx: Ctx,
    private readonly panel: vscode.WebviewPanel,
  ) {
    panel.onDidDispose(() => {
      if (ProbePanel.current === this) ProbePanel.current = undefined;
    });
    panel.webview.onDidReceiveMessage((raw: unknown) => {
      const message = parseProbeMessage(raw, this.layerCount);
      if (!message) {
        ctx.warnOnce(`probe panel: ignored an unexpected message ${JSON.stringify(raw)?.slice(0, 200)}`);
        return;
      }
      if (message.type === 'reveal') this.handlers?.reveal(message.index);
      else if (message.type === 'rerun') this.handlers?.rerun();
      else this.ready = { state: message.state, layers: message.layers };
    });
  }

  /** The panel, created beside the editor on first use. */
  static createOrShow(ctx: Ctx): ProbePanel {
    if (ProbePanel.current) {
      ProbePanel.current.panel.reveal(vscode.ViewColumn.Beside, true);
      return ProbePanel.current;
    }
    const media = vscode.Uri.file(ctx.asset('media', 'probe'));
    const panel = vscode.window.createWebviewPanel(PROBE_VIEW_TYPE, 'DeepLint probe', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
      enableScripts: true,
      localResourceRoots: [media],
    });
    ProbePanel.current = new ProbePanel(ctx, panel);
    ctx.own(panel);
    return ProbePanel.current;
  }

  /** What the current panel's page reported once loaded. Each show() resets it; `state` tells a late report of the previous page apart. */
  static pageReady(): ProbePageReady | undefined {
    return ProbePanel.current?.ready;
  }

  show(state: ProbePanelState, handlers: ProbePanelHandlers): void {
    this.handlers = handlers;
    this.ready = undefined;
    this.layerCount = state.kind === 'result' ? state.result.layers.length : 0;
    this.panel.title = `Probe: ${state.kind === 'result' ? state.result.model : state.model}`;
    const webview = this.panel.webview;
    const media = vscode.Uri.file(this.ctx.asset('media', 'probe'));
    this.panel.webview.html = renderProbeHtml(state, {
      cspSource: webview.cspSource,
      nonce: randomBytes(16).toString('base64'),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'probe.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'probe.css')).toString(),
    });
  }
}
