// What the test page loads: the client as a browser app bundles it, and the README example.
import { apiFailureOf, createClient } from '@connect/client';
import { quickstart } from '../test/client/quickstart';

const pageApi = { quickstart, createClient, apiFailureOf };
export type PageApi = typeof pageApi;

declare global {
  // The test reaches the bundle through this global from `page.evaluate`.
  var connect: PageApi;
}

globalThis.connect = pageApi;
