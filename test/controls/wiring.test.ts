import { beforeAll, describe, expect, it } from 'vitest';
import { collectors } from '../../collectors/index.ts';
import { DEFAULT_CONTROLS_PATH, loadControls } from '../../controls/catalog.ts';
import type { Control } from '../../core/model.ts';
import { knownChecks, UNMAPPED_CHECKS } from '../support/catalog.ts';

let controls: Control[];
beforeAll(async () => {
  controls = await loadControls(DEFAULT_CONTROLS_PATH, knownChecks());
});

const registered = collectors.flatMap((c) => c.checks.map((check) => ({ collector: c.id, check })));

describe('wiring: registered checks ↔ the built-in catalog', () => {
  it('uses every registered check in some control and names it in some link, except the justified list', () => {
    const used = new Set(controls.flatMap((c) => c.checks));
    const evidencing = new Set(controls.flatMap((c) => c.links.flatMap((l) => l.by)));
    const ids = registered.map((r) => r.check.id);
    expect(ids.filter((id) => !used.has(id) && !(id in UNMAPPED_CHECKS))).toEqual([]);
    expect(ids.filter((id) => !evidencing.has(id) && !(id in UNMAPPED_CHECKS))).toEqual([]);
    // the justified list names registered checks that really are unused, each with its reason
    for (const [id, reason] of Object.entries(UNMAPPED_CHECKS)) {
      expect(ids, id).toContain(id);
      expect(used.has(id), id).toBe(false);
      expect(reason.length, id).toBeGreaterThan(40);
    }
  });

  it('gives every check a test procedure saying what it reads and what passes', () => {
    for (const { collector, check } of registered) {
      // What it reads (an API or file), then what passes or fails.
      expect(check.procedure.length, `${collector} ${check.id}`).toBeGreaterThan(40);
      expect(check.procedure, `${collector} ${check.id}`).toMatch(/\b(pass(es)?|fails?)\b/i);
      expect(check.procedure, check.id).not.toBe(check.title);
    }
  });

  it('names every check of a control in at least one of its links, and every link has a rationale', () => {
    for (const control of controls) {
      const evidencing = new Set(control.links.flatMap((l) => l.by));
      expect(
        control.checks.filter((id) => !evidencing.has(id)),
        control.id,
      ).toEqual([]);
      for (const link of control.links)
        expect(link.rationale.length, `${control.id} ${link.requirement}`).toBeGreaterThanOrEqual(20);
    }
  });

  it('keeps control titles distinct', () => {
    const titles = controls.map((c) => c.title.toLowerCase());
    expect(titles.filter((t, i) => titles.indexOf(t) !== i)).toEqual([]);
  });
});
