import type { ExportCache } from '@connect/router';

/** A kept export: the document's text and its entity tag. */
export interface KeptExport {
  body: string;
  etag: string;
}

export type ExportFormat = 'json' | 'yaml';

// Kept a day at most: a purge is what keeps them right, the age only bounds what an unused one costs.
const keptSeconds = 86_400;
const origin = 'https://openapi-export.connect.invalid';

async function shortHash(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest).slice(0, 8)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The exports of published versions in the Workers Cache API (`caches.default`: one per Cloudflare
 * location, real in Miniflare), for one organisation of one deployment (its database, without the
 * query string, which only tags connections). Each connector has a generation, a random token kept
 * under its own key; an export is kept under the generation, so a purge forgets every export of the
 * connector by deleting the one generation key. A request that finds no generation makes and keeps
 * a new one *before* it reads the database: a write's purge that lands after that read then
 * deletes the generation the stale export would be kept under.
 */
export class WorkerExportCache implements ExportCache {
  private constructor(
    private readonly cache: Cache,
    private readonly base: string,
  ) {}

  /** The store for `organisationId`, or undefined where the runtime has no Cache API. */
  static async of(databaseUrl: string, organisationId: string): Promise<WorkerExportCache | undefined> {
    if (typeof caches === 'undefined') return undefined;
    const deployment = await shortHash(databaseUrl.split('?')[0] ?? '');
    return new WorkerExportCache(caches.default, `${origin}/${deployment}/${encodeURIComponent(organisationId)}`);
  }

  private generationKey(connectorId: string): string {
    return `${this.base}/${encodeURIComponent(connectorId)}/generation`;
  }

  private exportKey(connectorId: string, generation: string, version: string, format: ExportFormat): string {
    return `${this.base}/${encodeURIComponent(connectorId)}/${generation}/${encodeURIComponent(version)}/openapi.${format}`;
  }

  private async generation(connectorId: string): Promise<string | undefined> {
    const kept = await this.cache.match(this.generationKey(connectorId));
    return kept ? await kept.text() : undefined;
  }

  /** The kept export of a version name, if there is one. */
  async lookup(connectorId: string, version: string, format: ExportFormat): Promise<KeptExport | undefined> {
    const generation = await this.generation(connectorId);
    if (generation === undefined) return undefined;
    const kept = await this.cache.match(this.exportKey(connectorId, generation, version, format));
    if (!kept) return undefined;
    return { body: await kept.text(), etag: kept.headers.get('x-export-etag') ?? '' };
  }

  /** The connector's generation, made and kept first when it has none (call before reading the database). */
  async currentGeneration(connectorId: string): Promise<string> {
    const known = await this.generation(connectorId);
    if (known !== undefined) return known;
    const made = crypto.randomUUID();
    await this.cache.put(
      this.generationKey(connectorId),
      new Response(made, { headers: { 'cache-control': `max-age=${String(keptSeconds)}` } }),
    );
    return made;
  }

  /** Keeps the export of a published version under `generation`. */
  async keep(connectorId: string, generation: string, version: string, format: ExportFormat, kept: KeptExport) {
    await this.cache.put(
      this.exportKey(connectorId, generation, version, format),
      new Response(kept.body, {
        headers: { 'cache-control': `max-age=${String(keptSeconds)}`, 'x-export-etag': kept.etag },
      }),
    );
  }

  async purge(connectorId: string): Promise<void> {
    await this.cache.delete(this.generationKey(connectorId));
  }
}
