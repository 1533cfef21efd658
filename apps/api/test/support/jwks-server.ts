import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    jwksServerUrl: string;
  }
}

/**
 * A stand-in identity provider's JWKS endpoint, for the tests of remote key sets:
 * `/jwks.json` serves the test JWKS (TEST_JWKS, set by the vitest config); `/slow` never answers.
 */
export default async function setup(project: TestProject) {
  const jwks = process.env.TEST_JWKS ?? '{"keys":[]}';
  const server = createServer((req, res) => {
    if (req.url === '/jwks.json') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(jwks);
    } else if (req.url === '/slow') {
      // Answers long after the Worker's JWKS fetch timeout.
      setTimeout(() => res.writeHead(200).end('{"keys":[]}'), 5_000).unref();
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  project.provide('jwksServerUrl', `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  return () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => {
        resolve();
      });
    });
}
