import { describe, expect, it } from 'vitest';
import { compatibilityOf, diffVersions, policyApplies } from '../src/index.js';
import { action, version } from './snapshots.js';

const withActions = (name: string, names: string[]) => version(name, { actions: names.map((n) => action(n)) });

describe('compatibility policy', () => {
  it('judges every pair but a greater SemVer major', () => {
    expect(policyApplies('1.0.0', '1.1.0')).toBe(true);
    expect(policyApplies('1.9.0', '2.0.0')).toBe(false);
    expect(policyApplies('v1.0.0', 'v2.0.0-rc.1')).toBe(false);
    // A lower major is a backport: once published it is latest, so it is judged.
    expect(policyApplies('3.0.0', '2.9.0')).toBe(true);
    // Names that are not SemVer announce nothing.
    expect(policyApplies('alpha', 'beta')).toBe(true);
    expect(policyApplies('1.0.0', 'next')).toBe(true);
  });

  it('refuses under backward only what breaks, lists the first 20 and counts them all', () => {
    const many = Array.from({ length: 25 }, (_, i) => `op${String(i).padStart(2, '0')}`);
    const breaking = diffVersions(withActions('1.0.0', many), withActions('1.1.0', []));
    const refused = compatibilityOf('backward', breaking);
    expect(refused).toMatchObject({ policy: 'backward', checked: true, compatible: false, breakingCount: 25 });
    expect(refused.breakingChanges).toHaveLength(20);
    expect(compatibilityOf('none', breaking)).toMatchObject({ checked: false, compatible: true, breakingCount: 0 });

    const additive = diffVersions(withActions('1.0.0', ['a']), withActions('1.1.0', ['a', 'b']));
    expect(compatibilityOf('backward', additive)).toMatchObject({ checked: true, compatible: true });
    // Nothing published yet: nothing to compare with.
    expect(compatibilityOf('backward', null)).toMatchObject({ checked: false, compatible: true });
  });
});
