// Bundles the CLI (and, once present, the extension). `--production` minifies, `--watch` rebuilds on change.
const esbuild = require('esbuild');
const fs = require('node:fs');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Entry points that exist; later bundles (extension, TF.js front end) join as their sources land. */
const bundles = [
  { entry: 'src/cli/index.ts', outfile: 'dist/cli.js', banner: '#!/usr/bin/env node' },
  { entry: 'src/extension/extension.ts', outfile: 'dist/extension.js' },
  // The editor analyses in a worker thread so large files never stall the extension host.
  { entry: 'src/extension/worker/analysis-worker.ts', outfile: 'dist/analysis-worker.js' },
  // The TF.js front end carries the TypeScript compiler: its own bundle, loaded on first use.
  { entry: 'src/core/parse/tfjs/frontend.ts', outfile: 'dist/tfjs-frontend.js' },
  // The probe runs in a worker thread; onnxruntime stays external and loads only inside it.
  { entry: 'src/core/probe/worker.ts', outfile: 'dist/probe-worker.js' },
  // Samples weights on a second thread while the probe's thread creates the onnxruntime session.
  { entry: 'src/core/probe/sampler-worker.ts', outfile: 'dist/probe-sampler.js' },
  // eslint-plugin-deeplint reads ESLint's own tree, so it needs neither parser.
  { entry: 'src/eslint-plugin/index.ts', outfile: 'dist/eslint-plugin.js', external: ['eslint', '@typescript-eslint/typescript-estree', '@typescript-eslint/parser'] },
].filter((bundle) => fs.existsSync(bundle.entry));

/** Turns the TF.js front end's lazy `require('./frontend')` into a require of its sibling bundle. */
const lazyTfjsFrontEnd = {
  name: 'lazy-tfjs-frontend',
  setup(build) {
    build.onResolve({ filter: /^\.\/frontend$/ }, (args) =>
      args.importer.replace(/\\/g, '/').endsWith('src/core/parse/tfjs/index.ts')
        ? { path: './tfjs-frontend.js', external: true }
        : undefined,
    );
  },
};

async function main() {
  const contexts = await Promise.all(
    bundles.map((bundle) =>
      esbuild.context({
        entryPoints: [bundle.entry],
        outfile: bundle.outfile,
        bundle: true,
        platform: 'node',
        target: 'node20',
        format: 'cjs',
        minify: production,
        sourcemap: !production,
        sourcesContent: false,
        // vscode is provided by the editor; onnxruntime is native and loaded only when a probe runs.
        external: ['vscode', 'onnxruntime-node', 'onnxruntime-web', ...(bundle.external ?? [])],
        banner: bundle.banner ? { js: bundle.banner } : undefined,
        logLevel: 'warning',
        plugins: [lazyTfjsFrontEnd],
      }),
    ),
  );
  if (watch) {
    await Promise.all(contexts.map((context) => context.watch()));
    return;
  }
  await Promise.all(contexts.map((context) => context.rebuild()));
  await Promise.all(contexts.map((context) => context.dispose()));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
