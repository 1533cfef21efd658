import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { developmentUrl, resolveConfig } from '../src/config';
import { formatDiff } from '../src/version-diff';
import { UsageError } from '../src/errors';
import { readAllPages } from '../src/paging';

const scratchDirs: string[] = [];
const scratchDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'connect-cli-unit-'));
  scratchDirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of scratchDirs) rmSync(dir, { recursive: true, force: true });
});

// The pure parts, without a Worker: the cases the process tests would need many runs to reach.

describe('resolveConfig', () => {
  const withDevFile = (content: string) => {
    const root = scratchDir();
    mkdirSync(join(root, '.dev'));
    writeFileSync(join(root, '.dev', 'credentials.json'), content);
    const cwd = join(root, 'deep', 'er');
    mkdirSync(cwd, { recursive: true });
    return { root, cwd };
  };

  it('uses the development server and the dev file when nothing else is given', () => {
    const { root, cwd } = withDevFile('{"organisationId":"o","apiKey":"ck_dev","idToken":"t"}');
    expect(resolveConfig({}, {}, cwd)).toEqual({
      url: developmentUrl,
      urlSource: 'default',
      credential: { apiKey: 'ck_dev' },
      credentialSource: join(root, '.dev', 'credentials.json'),
    });
  });

  it('falls back to the dev file’s id_token when it has no API key', () => {
    const { cwd } = withDevFile('{"idToken":"eyJ"}');
    expect(resolveConfig({}, {}, cwd).credential).toEqual({ token: 'eyJ' });
  });

  it('takes flags, then variables, then the file; an empty variable counts as unset', () => {
    const { cwd } = withDevFile('{"apiKey":"ck_dev"}');
    const env = { CONNECT_URL: 'https://env.test', CONNECT_TOKEN: 'env-token', CONNECT_API_KEY: '' };
    expect(resolveConfig({}, env, cwd)).toMatchObject({
      url: 'https://env.test',
      credential: { token: 'env-token' },
      credentialSource: 'CONNECT_TOKEN',
    });
    expect(resolveConfig({ url: 'https://flag.test', apiKey: 'ck_flag' }, env, cwd)).toMatchObject({
      url: 'https://flag.test',
      urlSource: '--url',
      credential: { apiKey: 'ck_flag' },
      credentialSource: '--api-key',
    });
    expect(resolveConfig({}, { CONNECT_API_KEY: '' }, cwd).credentialSource).toMatch(/credentials\.json$/);
  });

  it('refuses unreadable files, both kinds of credential, and no credential at all', () => {
    expect(() => resolveConfig({}, {}, withDevFile('{not json').cwd)).toThrow(/cannot read .*credentials\.json/);
    expect(() => resolveConfig({}, {}, withDevFile('{"organisationId":"o"}').cwd)).toThrow(
      /neither an apiKey nor an idToken/,
    );
    expect(() => resolveConfig({}, { CONNECT_API_KEY: 'a', CONNECT_TOKEN: 'b' }, scratchDir())).toThrow(
      'give either CONNECT_API_KEY or CONNECT_TOKEN, not both',
    );
    expect(() => resolveConfig({}, {}, scratchDir())).toThrow(UsageError);
    expect(() => resolveConfig({ url: 'not a url', apiKey: 'k' }, {}, scratchDir())).toThrow(
      '--url is not a URL: not a url',
    );
  });
});

describe('readAllPages', () => {
  it('follows next until the last page', async () => {
    const pages = [
      { totalCount: 5, next: 'b', actions: [1, 2] },
      { totalCount: 5, next: 'c', prev: 'a', actions: [3, 4] },
      { totalCount: 5, prev: 'b', actions: [5] },
    ];
    const asked: (string | undefined)[] = [];
    const items = await readAllPages('actions', (query) => {
      asked.push(query.after);
      const page = pages[asked.length - 1];
      if (!page) throw new Error('read past the last page');
      return Promise.resolve(page);
    });
    expect(items).toEqual([1, 2, 3, 4, 5]);
    expect(asked).toEqual([undefined, 'b', 'c']);
  });
});

describe('formatDiff', () => {
  const change = (pointer: string, breaking: boolean, kind: 'added' | 'removed' | 'changed') => ({
    kind: 'action' as const,
    name: 'getOrder',
    change: kind,
    pointer,
    breaking,
    reason: breaking ? 'the action was removed' : 'an action was added',
  });

  it('prints a line a change, breaking ones with why, then the count and the suggested bump', () => {
    const diff = {
      from: '1.0.0',
      to: '1.1.0',
      changes: [change('/actions/getOrder', true, 'removed'), change('/actions/listOrders', false, 'added')],
      breaking: true,
      suggestedBump: 'major' as const,
    };
    expect(formatDiff(diff, false)).toEqual([
      '- /actions/getOrder BREAKING: the action was removed',
      '+ /actions/listOrders',
      '',
      '1.0.0 → 1.1.0: 2 changes, 1 breaking; suggested bump: major',
    ]);
    const same = { ...diff, changes: [], breaking: false, suggestedBump: null };
    expect(formatDiff(same, false)).toEqual(['1.0.0 and 1.1.0 have the same actions, triggers and definitions']);
    expect(formatDiff(same, true)).toEqual(['nothing in 1.1.0 breaks callers of 1.0.0']);
  });
});
