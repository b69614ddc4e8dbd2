// The probe panel's only script: it turns clicks and keys on table rows and chart marks into messages for the
// extension, which validates them. It receives no data and builds no HTML; the extension renders the whole page.
(function () {
  const vscode = acquireVsCodeApi();

  function layerOf(event) {
    const target = event.target instanceof Element ? event.target : null;
    return target && target.closest('[data-index]');
  }

  function reveal(element) {
    vscode.postMessage({ type: 'reveal', index: Number(element.getAttribute('data-index')) });
  }

  document.addEventListener('click', (event) => {
    const layer = layerOf(event);
    if (layer) {
      reveal(layer);
      return;
    }
    const target = event.target instanceof Element ? event.target : null;
    if (target && target.closest('#rerun')) vscode.postMessage({ type: 'rerun' });
  });
  document.addEventListener('keydown', (event) => {
    const layer = layerOf(event);
    if (layer && (event.key === 'Enter' || event.key === ' ')) {
      event.preventDefault();
      reveal(layer);
    }
  });
  // Tells the extension the page rendered and this script runs under the policy (the integration tests wait for it).
  vscode.postMessage({ type: 'ready', state: document.body.getAttribute('data-state'), layers: document.querySelectorAll('svg [data-index]').length });
})();
