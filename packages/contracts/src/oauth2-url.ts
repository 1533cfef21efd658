import { z } from 'zod';
import { limitTable } from './limits.js';
import { storableText } from './names.js';

// An OAuth 2.0 endpoint carries the client secret, codes, verifiers and tokens: https only. Plain
// http is let through to a loopback host alone, where a provider runs for development and tests
// (a deployed Worker cannot reach one, so it opens nothing in production).

const loopback = (hostname: string) =>
  hostname === 'localhost' || hostname === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(hostname);

export const oauth2EndpointUrl = storableText(
  z
    .url({ protocol: /^https?$/, error: 'must be an https URL' })
    .max(limitTable.urlLength.default, `must be at most ${String(limitTable.urlLength.default)} characters`),
).refine((text) => {
  // Refinements run even where the checks before them failed: text that is no URL is refused, not thrown on.
  if (!URL.canParse(text)) return false;
  const url = new URL(text);
  return url.protocol === 'https:' || loopback(url.hostname);
}, 'must be an https URL (http only to a loopback host)');
