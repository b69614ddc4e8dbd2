import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { build } from 'esbuild';

const ROOT = path.join(__dirname, '../../..');

/** The source files esbuild puts into the extension's main bundle, relative to the repository. */
async function extensionBundleInputs(): Promise<string[]> {
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: ['src/extension/extension.ts'],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    external: ['vscode', 'onnxruntime-node', 'onnxruntime-web'],
    write: false,
    metafile: true,
    outfile: 'out/bundle-test/extension.js',
    logLevel: 'silent',
  });
  return Object.keys(result.metafile.inputs);
}

describe('the extension bundle', () => {
  // Activation loads this bundle, so what a probe or an analysis needs must stay in the worker bundles.
  it('carries neither the probe graph builder and runtime nor the parsers', async () => {
    const inputs = await extensionBundleInputs();
    assert.ok(inputs.includes('src/core/probe/client.ts'), 'the probe client is expected in the bundle');
    const heavy = inputs.filter((input) =>
      /^src\/core\/probe\/(build|vjp|graph|runtime|probe|feeds|init)\.ts$|^src\/core\/parse\/|@lezer\/|typescript-estree/.test(input),
    );
    assert.deepEqual(heavy, []);
  });
});
