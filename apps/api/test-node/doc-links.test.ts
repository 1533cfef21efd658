import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// A newcomer follows the README's links first: every relative link in it, in docs/ and in the
// packages' READMEs must name a file of the repository (anchors aside).
const root = resolve(import.meta.dirname, '../../..');
const inFolder = (folder: string) =>
  readdirSync(join(root, folder), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(root, folder, entry.name, 'README.md')))
    .map((entry) => join(folder, entry.name, 'README.md'));
const documents = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => join('docs', name)),
  ...inFolder('packages'),
  ...inFolder('apps'),
];

describe('links in the documentation', () => {
  it('the README is a first screen: at most 150 lines', () => {
    expect(readFileSync(join(root, 'README.md'), 'utf8').split('\n').length).toBeLessThanOrEqual(150);
  });

  it.each(documents)('%s: every relative link resolves', (document) => {
    const text = readFileSync(join(root, document), 'utf8');
    const targets = [...text.matchAll(/\]\(([^)\s]+)\)/g)]
      .map((match) => match[1] ?? '')
      .filter((target) => !/^[a-z]+:/.test(target) && !target.startsWith('#'))
      .map((target) => target.split('#')[0] ?? '');
    const missing = targets.filter((target) => !existsSync(resolve(dirname(join(root, document)), target)));
    expect(missing).toEqual([]);
  });
});
