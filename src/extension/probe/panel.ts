// The probe panel: one webview, reused for each probe, following the webview sample (createOrShow, local
// resources from media/probe only, CSP with a nonce script, typed and validated messages).
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { renderProbeHtml, type ProbePanelState } from './html';
import { parseProbeMessage } from './messages';

export const PROBE_VIEW_TYPE = 'deeplint.probe';

export interface ProbePanelHandlers {
  reveal(index: number): void;
  rerun(): void;
}

export class ProbePanel {
  private static current: ProbePanel | undefined;
  private layerCount = 0;
  private handlers: ProbePanelHandlers | undefined;

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
      else this.handlers?.rerun();
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

  show(state: ProbePanelState, handlers: ProbePanelHandlers): void {
    this.handlers = handlers;
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
