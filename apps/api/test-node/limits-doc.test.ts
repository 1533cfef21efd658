import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { limitTable, overridableLimitNames } from '@connect/contracts';
import { describe, expect, it } from 'vitest';

/** A default as docs/limits.md writes it (`1 MiB`, `262,144 characters`, `1,000`), as a number. */
function valueOf(cell: string): number {
  const [amount = '', unit] = cell.split(' ');
  const n = Number(amount.replaceAll(',', ''));
  if (unit === 'MiB') return n * 1024 * 1024;
  if (unit === 'KiB') return n * 1024;
  return n;
}

// The docs' table is written by hand: this keeps it the table of limitTable, row for row.
describe('docs/limits.md', () => {
  const text = readFileSync(join(import.meta.dirname, '../../../docs/limits.md'), 'utf8');
  const rows = new Map(
    [...text.matchAll(/^\| `(\w+)` +\| (\w+) +\| ([^|]+?) +\| (\w+) +\| (.+?) +\|$/gm)].map((m) => [
      m[1] ?? '',
      { kind: m[2], value: valueOf(m[3] ?? ''), unit: m[4] },
    ]),
  );

  it('lists every limit of the table with its kind, default and unit, and no other', () => {
    const table = Object.fromEntries(
      Object.entries(limitTable).map(([name, e]) => [name, { kind: e.kind, value: e.default, unit: e.unit }]),
    );
    expect(Object.fromEntries(rows)).toEqual(table);
  });

  it('names exactly the quotas and request limits as overridable', () => {
    expect(overridableLimitNames.sort()).toEqual(
      [...rows]
        .filter(([, row]) => row.kind === 'quota' || row.kind === 'request')
        .map(([name]) => name)
        .sort(),
    );
  });
});
