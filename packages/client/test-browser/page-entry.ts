// What the test page loads: the client as a browser app bundles it, and the README example.
import { quickstart } from '../examples/quickstart';
import { apiFailureOf, createClient } from '../src';

const pageApi = { quickstart, createClient, apiFailureOf };
export type PageApi = typeof pageApi;

declare global {
  // The test reaches the bundle through this global from `page.evaluate`.
  var connect: PageApi;
}

globalThis.connect = pageApi;
