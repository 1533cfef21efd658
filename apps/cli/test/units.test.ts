import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Action, Definition } from '@connect/client';
import { afterAll, describe, expect, it } from 'vitest';
import { developmentUrl, resolveConfig } from '../src/config';
import { diffVersions } from '../src/diff';
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

describe('diffVersions', () => {
  const definition = (name: string, id: string, overrides: Partial<Definition> = {}): Definition => ({
    id,
    name,
    description: '',
    accept: ['application/json'],
    schema: { contentType: 'application/schema+json', content: '{}' },
    url: `https://api.test/${id}`,
    referencedBy: [],
    errors: [],
    createdAt: `2026-01-0${id.length}T00:00:00.000Z`,
    updatedAt: `2026-01-0${id.length}T00:00:00.000Z`,
    ...overrides,
  });
  const action = (id: string, overrides: Partial<Action> = {}): Action => ({
    id,
    type: 'http',
    name: 'getOrder',
    summary: '',
    description: '',
    method: 'GET',
    path: '/orders',
    parameters: [],
    responses: [
      { id: `${id}-r1`, status: 200, definitions: [{ id: `${id}-l1`, definition: definition('Order', `${id}-d`) }] },
      { id: `${id}-r2`, definitions: [] },
    ],
    errors: [],
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  });
  const versions = { connectorId: 'C', from: '1', to: '2' };

  it('ignores ids, timestamps, URLs, the order of responses and ids in referencedBy', () => {
    const before = {
      actions: [action('a')],
      triggers: [],
      definitions: [definition('Order', 'd1', { referencedBy: [{ type: 'action', id: 'a', name: 'getOrder' }] })],
    };
    const copy = action('bbbb');
    const after = {
      actions: [{ ...copy, responses: [...copy.responses].reverse() }],
      triggers: [],
      definitions: [definition('Order', 'd22', { referencedBy: [{ type: 'action', id: 'bbbb', name: 'getOrder' }] })],
    };
    expect(diffVersions(versions, before, after).identical).toBe(true);
  });

  it('names the changed fields, and compares linked definitions by name', () => {
    const before = { actions: [action('a')], triggers: [], definitions: [definition('Order', 'd1')] };
    const relinked = action('b');
    const after = {
      actions: [
        {
          ...relinked,
          summary: 'Read one order',
          responses: [{ id: 'r', status: 200, definitions: [{ id: 'l', definition: definition('Invoice', 'd9') }] }],
        },
      ],
      triggers: [],
      definitions: [definition('Order', 'd2', { accept: ['application/xml'] }), definition('Invoice', 'd9')],
    };
    const diff = diffVersions(versions, before, after);
    expect(diff.identical).toBe(false);
    expect(diff.actions.changed).toEqual([
      {
        name: 'getOrder',
        fields: ['summary', 'responses'],
        before: {
          summary: '',
          responses: [
            { status: 200, definitions: ['Order'] },
            { status: null, definitions: [] },
          ],
        },
        after: { summary: 'Read one order', responses: [{ status: 200, definitions: ['Invoice'] }] },
      },
    ]);
    expect(diff.definitions).toMatchObject({
      added: ['Invoice'],
      removed: [],
      changed: [{ name: 'Order', fields: ['accept'] }],
    });
  });
});
