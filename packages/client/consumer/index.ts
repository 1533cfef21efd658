// A package that uses the client, as a user's app would; `pnpm typecheck` emits its declarations
// to prove that what the client exports can be named in another package's .d.ts files.
import { apiFailureOf, createClient, type RouterInputs } from '@connect/client';

export const api = createClient({ url: 'http://127.0.0.1:8787', apiKey: 'ck_example' });

export async function addAction(input: RouterInputs['actions']['create']) {
  try {
    return await api.actions.create.mutate(input);
  } catch (error) {
    const failure = apiFailureOf(error);
    if (failure?.code === 'already_exists') return null;
    throw error;
  }
}

export const latestActions = (connectorId: string) => api.actions.list.query({ connectorId, version: 'latest' });
