// The probe panel's only script: it turns clicks into messages for the extension, which validates them.
// It receives no data and builds no HTML; the extension renders the whole page.
(function () {
  const vscode = acquireVsCodeApi();
  document.addEventListener('click', (event) => {
    const target = event.target instanceof Element ? event.target : null;
    const row = target && target.closest('tr[data-index]');
    if (row) {
      vscode.postMessage({ type: 'reveal', index: Number(row.getAttribute('data-index')) });
      return;
    }
    if (target && target.closest('#rerun')) vscode.postMessage({ type: 'rerun' });
  });
  document.addEventListener('keydown', (event) => {
    const target = event.target instanceof Element ? event.target : null;
    const row = target && target.closest('tr[data-index]');
    if (row && (event.key === 'Enter' || event.key === ' ')) {
      event.preventDefault();
      vscode.postMessage({ type: 'reveal', index: Number(row.getAttribute('data-index')) });
    }
  });
})();
