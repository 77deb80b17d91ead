import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONTROLS_PATH, loadControls } from '../../controls/catalog.ts';
import { loadSubservices } from '../../controls/subservices.ts';
import { knownChecks, tempFolder } from '../support/catalog.ts';

describe('controls/subservices.yaml', () => {
  it('loads the shipped subservice organisations and CUECs, every relied-on control in the catalog', async () => {
    const controls = await loadControls(DEFAULT_CONTROLS_PATH, knownChecks());
    const data = await loadSubservices(controls);
    expect(data.subservices.map((s) => s.source)).toEqual([
      'aws',
      'github',
      'okta',
      'entra',
      'google',
      'identity-center',
    ]);
    expect(data.subservices.every((s) => s.csocs.length > 0)).toBe(true);
    expect(data.cuecs.length).toBeGreaterThan(0);
  });

  it('names the file, the complementary control and the unknown control it relies on', async () => {
    const controls = await loadControls(DEFAULT_CONTROLS_PATH, knownChecks());
    const dir = await tempFolder({
      'subservices.yaml':
        'subservices: []\ncuecs:\n  - id: CUEC-1\n    control: Customers manage users\n    reliedOnBy: [NOPE-1]\n',
    });
    await expect(loadSubservices(controls, join(dir, 'subservices.yaml'))).rejects.toThrow(
      `${join(dir, 'subservices.yaml')}: CUEC-1: reliedOnBy: unknown control "NOPE-1"`,
    );
    const bad = await tempFolder({ 'subservices.yaml': 'subservices: [{ source: aws }]\ncuecs: []\n' });
    await expect(loadSubservices(controls, join(bad, 'subservices.yaml'))).rejects.toThrow(
      /subservices\.0\.name: /,
    );
  });
});
