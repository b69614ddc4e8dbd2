import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { defaultConfig } from '../../../src/core/config';
import { CommandId } from '../../../src/extension/commands/ids';
import { applySettings, SETTING_DEFAULTS, SETTING_KEYS } from '../../../src/extension/settings';

const ROOT = path.join(__dirname, '../../..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const properties: Record<string, { type: string | string[]; default: unknown; enum?: unknown[] }> = pkg.contributes.configuration.properties;

function jsonType(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

describe('extension settings', () => {
  it('declares exactly the typed settings in package.json, with the same defaults and types', () => {
    assert.deepEqual(Object.keys(properties).sort(), SETTING_KEYS.map((key) => `deeplint.${key}`).sort());
    for (const key of SETTING_KEYS) {
      const declared = properties[`deeplint.${key}`]!;
      assert.deepEqual(declared.default, SETTING_DEFAULTS[key], `default of deeplint.${key}`);
      const type = jsonType(SETTING_DEFAULTS[key]);
      const accepted = Array.isArray(declared.type) ? declared.type : [declared.type];
      assert.ok(accepted.includes(type) || (type === 'integer' && accepted.includes('number')), `deeplint.${key}: ${type} not in ${accepted.join(', ')}`);
      if (declared.enum) assert.ok(declared.enum.includes(SETTING_DEFAULTS[key]), `deeplint.${key} default not in its enum`);
    }
  });

  it('offers the probe devices the core accepts', () => {
    const devices = properties['deeplint.probe.device']!.enum!;
    for (const device of devices) {
      const problems: string[] = [];
      const config = applySettings(defaultConfig(), { 'probe.device': device as never }, problems);
      assert.deepEqual(problems, []);
      assert.equal(config.probe.device, device);
    }
  });

  it('contributes every command id of the CommandId enum, and no other', () => {
    const declared = (pkg.contributes.commands as { command: string }[]).map((command) => command.command).sort();
    assert.deepEqual(declared, Object.values(CommandId).sort());
  });

  it('lays explicit settings over the configuration file, leaving the rest to the file', () => {
    const fromFile = { ...defaultConfig(), select: ['DL2', 'DL5'], ignore: ['DL203'], severity: { DL201: 'info' as const }, maxFileBytes: 4096 };
    const problems: string[] = [];
    const merged = applySettings(
      fromFile,
      { ignore: ['dl501'], severity: { DL202: 'error' }, rules: { DL201: { 'min-depth': 6 } }, 'probe.batch': 8 },
      problems,
    );
    assert.deepEqual(problems, []);
    assert.deepEqual(merged.select, ['DL2', 'DL5']);
    assert.deepEqual(merged.ignore, ['DL203', 'DL501']);
    assert.deepEqual(merged.severity, { DL201: 'info', DL202: 'error' });
    assert.deepEqual(merged.ruleOptions, { DL201: { minDepth: 6 } });
    assert.equal(merged.maxFileBytes, 4096);
    assert.equal(merged.probe.batch, 8);
    assert.equal(merged.probe.device, 'auto');
  });

  it('replaces the selection only when the setting lists codes, and reports bad values', () => {
    const problems: string[] = [];
    assert.deepEqual(applySettings(defaultConfig(), { select: [] }, problems).select, ['DL']);
    assert.deepEqual(applySettings(defaultConfig(), { select: ['DL3'] }, problems).select, ['DL3']);
    assert.deepEqual(problems, []);
    const merged = applySettings(defaultConfig(), { severity: { DL201: 'loud' as never }, maxFileBytes: -1 }, problems);
    assert.deepEqual(merged.severity, {});
    assert.equal(merged.maxFileBytes, defaultConfig().maxFileBytes);
    assert.equal(problems.length, 2);
    assert.match(problems[0]!, /^deeplint\.\* settings: severity of DL201/);
  });
});
