import { resolve } from 'node:path';
import { unstable_readConfig, type Unstable_Config } from 'wrangler';
import { describe, expect, it } from 'vitest';

// wrangler does not carry vars and bindings from the top level into an environment: one the
// top level gains and an environment lacks is undefined in that deployment only. Read by wrangler's
// own reader, as `wrangler deploy --env …` reads it.
const configPath = resolve(import.meta.dirname, '../wrangler.jsonc');
// The linter's type service resolves wrangler's declaration of readConfig to an error type (tsc
// does not), hence the cast to wrangler's own Config.
const read = (env?: string) =>
  unstable_readConfig({ config: configPath, ...(env === undefined ? {} : { env }) }) as unknown as Unstable_Config;
const environments = ['staging', 'production'];

describe('the deployed environments of wrangler.jsonc', () => {
  const local = read();

  it.each(environments)('%s states every var and rate limit the Worker reads', (name) => {
    const deployed = read(name);
    expect(deployed.name).toBe(`connect-api-${name}`);
    expect(Object.keys(deployed.vars).sort()).toEqual(Object.keys(local.vars).sort());
    expect(deployed.ratelimits.map((limit) => limit.name).sort()).toEqual(
      local.ratelimits.map((limit) => limit.name).sort(),
    );
    expect(deployed.assets?.directory).toBe(local.assets?.directory);
  });

  it('gives each environment rate-limit namespaces of its own', () => {
    const ids = ['', ...environments].flatMap((name) =>
      read(name === '' ? undefined : name).ratelimits.map((limit) => limit.namespace_id),
    );
    expect(new Set(ids).size).toBe(ids.length);
  });
});
