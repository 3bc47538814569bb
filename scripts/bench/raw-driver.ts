import { performance } from 'node:perf_hooks';
import type { Collection, Db } from 'mongodb';
import type { NewVersion } from '../../server/storage/repository';
import { DURABLE_WRITE } from '../../server/storage/mongo/connect';
import { ensureIndexes } from '../../server/storage/mongo/indexes';
import { CONTENT_PROJECTION, toDocument, type ObjectVersionDocument } from '../../server/storage/mongo/object-documents';
import { OBJECTS_COLLECTION } from '../../server/storage/mongo/object-repository';
import { PAGE_ORDER, toDriverFilter } from '../../server/storage/mongo/query-translation';
import type { PagePosition } from '../../server/taxii/pagination';
import type { ObjectFilter } from '../../server/taxii/query';
import { instantKey, microsToTimestamp } from '../../server/taxii/timestamps';
import { LATEST_ONLY, versionOf } from '../../server/taxii/versions';
import type { BenchObject } from './generate';
import { quantile, type IngestFigures, type LatencyFigures, type PollFigures } from './taxii-workload';

/**
 * "The limit of this design": the same documents the server stores (one per version, the STIX
 * JSON as a string, flags set), written with insertMany and read with find, through the driver
 * alone, into a database of their own on the same MongoDB/FerretDB, with the same indexes.
 */

const LATEST: ObjectFilter = { versions: LATEST_ONLY };

export class RawDriverWorkload {
  private readonly objects: Collection<ObjectVersionDocument>;
  private lastMicros = 0;

  constructor(
    private readonly db: Db,
    private readonly collectionId: string,
  ) {
    this.objects = db.collection<ObjectVersionDocument>(OBJECTS_COLLECTION);
  }

  async prepare(): Promise<void> {
    await ensureIndexes(this.db);
  }

  /** The document add-objects.ts + object-repository.ts would store, flags already final. */
  toDocument(object: BenchObject): ObjectVersionDocument {
    this.lastMicros = Math.max(Date.now() * 1000, this.lastMicros + 1);
    const stix = object.stix;
    const version = versionOf(stix);
    const newVersion: NewVersion = {
      collectionId: this.collectionId,
      id: String(stix.id),
      type: String(stix.type),
      specVersion: typeof stix.spec_version === 'string' ? stix.spec_version : '2.1',
      version: version ?? microsToTimestamp(this.lastMicros),
      versionKey: version ? (instantKey(version) ?? version) : '',
      dateAdded: this.lastMicros,
      publishedBy: { organisation: 'bench-org', username: 'bench@bench-org' },
      stix: JSON.stringify(stix),
    };
    const isFirst = !(stix.type === 'indicator' && typeof stix.description === 'string' && stix.description.startsWith('Revised'));
    return toDocument(newVersion, { isFirst, isLatest: !object.superseded });
  }

  async ingest(batches: Iterable<ObjectVersionDocument[]>): Promise<IngestFigures> {
    let objects = 0;
    let requests = 0;
    let elapsed = 0;
    for (const documents of batches) {
      const started = performance.now();
      await this.objects.insertMany(documents, { ordered: false, writeConcern: DURABLE_WRITE });
      elapsed += performance.now() - started;
      objects += documents.length;
      requests += 1;
    }
    const seconds = elapsed / 1000;
    return { objects, accepted: objects, failed: 0, requests, seconds, objectsPerSecond: objects / seconds };
  }

  /** One find over every latest version in page order, read to the end (driver batches, no limit). */
  async fullFind(): Promise<PollFigures> {
    const started = performance.now();
    const cursor = this.objects.find(toDriverFilter(this.collectionId, LATEST), { projection: CONTENT_PROJECTION }).sort(PAGE_ORDER);
    let objects = 0;
    let bytes = 0;
    for await (const document of cursor) {
      objects += 1;
      bytes += document.stix.length;
    }
    const seconds = (performance.now() - started) / 1000;
    return { objects, pages: 1, bytes, seconds, objectsPerSecond: objects / seconds, pageMs: [] };
  }

  private async page(after: PagePosition | undefined, limit: number, filter: ObjectFilter = LATEST): Promise<{ documents: ObjectVersionDocument[]; more: boolean }> {
    const documents = await this.objects
      .find(toDriverFilter(this.collectionId, filter, after), { projection: CONTENT_PROJECTION })
      .sort(PAGE_ORDER)
      .limit(limit + 1)
      .toArray(); // bounded by limit + 1
    const more = documents.length > limit;
    if (more) documents.pop();
    return { documents, more };
  }

  /** The server's own keyset query, page after page, without HTTP: where the server's time goes. */
  async keysetPoll(limit: number, maxPages: number, filter: ObjectFilter = LATEST): Promise<PollFigures> {
    const started = performance.now();
    const pageMs: number[] = [];
    let after: PagePosition | undefined;
    let objects = 0;
    let bytes = 0;
    for (let pages = 0; pages < maxPages; pages += 1) {
      const pageStarted = performance.now();
      const { documents, more } = await this.page(after, limit, filter);
      pageMs.push(performance.now() - pageStarted);
      objects += documents.length;
      for (const document of documents) bytes += document.stix.length;
      const last = documents[documents.length - 1];
      if (!more || !last) {
        const seconds = (performance.now() - started) / 1000;
        return { objects, pages: pages + 1, bytes, seconds, objectsPerSecond: objects / seconds, pageMs };
      }
      after = { dateAdded: last.date_added_us, id: last.object_id, versionKey: last.version_key };
    }
    throw new Error(`raw keyset poll: still more after ${maxPages} pages`);
  }

  async pageLatency(limit: number, pageNumber: number, repeats: number): Promise<LatencyFigures> {
    // One query to the last record of page k - 1 instead of k - 1 page queries (see run.ts, seekThroughDatabase).
    const last = await this.objects
      .find(toDriverFilter(this.collectionId, LATEST), { projection: { date_added_us: 1, object_id: 1, version_key: 1 } })
      .sort(PAGE_ORDER)
      .skip((pageNumber - 1) * limit - 1)
      .limit(1)
      .next();
    if (!last) throw new Error(`raw: the listing ends before page ${pageNumber}`);
    const after: PagePosition = { dateAdded: last.date_added_us, id: last.object_id, versionKey: last.version_key };
    const time = async (position: PagePosition | undefined) => {
      const started = performance.now();
      await this.page(position, limit);
      return performance.now() - started;
    };
    await time(undefined);
    await time(after);
    const firstMs: number[] = [];
    const laterMs: number[] = [];
    for (let i = 0; i < repeats; i += 1) {
      firstMs.push(await time(undefined));
      laterMs.push(await time(after));
    }
    const firstPageMs = { median: quantile(firstMs, 0.5), p90: quantile(firstMs, 0.9) };
    const laterPageMs = { median: quantile(laterMs, 0.5), p90: quantile(laterMs, 0.9) };
    return { limit, page: pageNumber, samples: repeats, firstPageMs, laterPageMs, ratio: laterPageMs.median / firstPageMs.median };
  }

  async addedAfterPoll(afterMicros: number, limit: number, maxPages: number): Promise<PollFigures> {
    return this.keysetPoll(limit, maxPages, { ...LATEST, addedAfter: afterMicros });
  }

  nowMicros(): number {
    return Math.max(Date.now() * 1000, this.lastMicros + 1);
  }
}
