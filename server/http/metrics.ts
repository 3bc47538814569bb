import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { AllianceConfig } from '../config/types';

/** Label for a collection id: the id itself only when the configuration declares it, so no client can add label values. */
export function collectionLabel(config: AllianceConfig, collectionId: string | undefined): string {
  return collectionId !== undefined && config.collections.some((collection) => collection.id === collectionId) ? collectionId : 'other';
}

export interface IngestOutcome {
  stored: number;
  refused: number;
}

export interface QueueDepth {
  envelopes: number;
  objects: number;
}

/**
 * The server's Prometheus metrics (README, Monitoring), in one registry of their own. Every label
 * takes values from a bounded set: route templates, status codes, declared collection ids or
 * `other`, repository and method names of the Storage interface. Never a user, token or raw URL.
 */
export class ServerMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'taxii_http_requests_total',
    help: 'HTTP requests answered, by method, route template and status code',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  readonly requestDuration = new Histogram({
    name: 'taxii_http_request_duration_seconds',
    help: 'Time from the request to the end of the answer, by method and route template',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  readonly objectsIngested = new Counter({
    name: 'taxii_objects_ingested_total',
    help: 'STIX objects a POST envelope stored (successes in its status), by collection',
    labelNames: ['collection'] as const,
    registers: [this.registry],
  });
  readonly objectsRejected = new Counter({
    name: 'taxii_objects_rejected_total',
    help: 'STIX objects of a POST envelope refused (failures in its status), by collection',
    labelNames: ['collection'] as const,
    registers: [this.registry],
  });
  readonly pollPages = new Counter({
    name: 'taxii_poll_pages_total',
    help: 'Pages of objects, manifest entries or versions served with 200, by collection and resource',
    labelNames: ['collection', 'resource'] as const,
    registers: [this.registry],
  });
  readonly authFailures = new Counter({
    name: 'taxii_auth_failures_total',
    help: 'Requests answered 401: missing, malformed or wrong credentials',
    registers: [this.registry],
  });
  readonly storageDuration = new Histogram({
    name: 'taxii_storage_operation_duration_seconds',
    help: 'Duration of database operations, by repository and operation of the Storage interface',
    labelNames: ['repository', 'operation'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
    registers: [this.registry],
  });
  readonly ingestQueueDepth: Gauge<'unit'>;
  /** Where the ingest queue's depth is read on scrape; unset until storage is open. */
  queueDepth: (() => Promise<QueueDepth>) | undefined;

  constructor(options: { processMetrics: boolean } = { processMetrics: true }) {
    const readDepth = () => this.queueDepth?.();
    this.ingestQueueDepth = new Gauge({
      name: 'taxii_ingest_queue_depth',
      help: 'Accepted POST envelopes and their objects not yet processed, read from the store on each scrape',
      labelNames: ['unit'] as const,
      registers: [this.registry],
      async collect() {
        // A store that does not answer leaves the last value; /health/ready reports the outage.
        const depth = await readDepth()?.catch(() => undefined);
        if (!depth) return;
        this.set({ unit: 'envelopes' }, depth.envelopes);
        this.set({ unit: 'objects' }, depth.objects);
      },
    });
    if (options.processMetrics) collectDefaultMetrics({ register: this.registry });
  }

  /** The Storage decorator's observer (storage/timed-storage.ts). */
  readonly observeStorage = (repository: string, operation: string, seconds: number): void => {
    this.storageDuration.observe({ repository, operation }, seconds);
  };

  /** Reads the queue depth from this context's store on scrape, and counts the worker's outcomes by collection. */
  watchIngest(
    context: { config: AllianceConfig; ingestQueue: { depth(): Promise<QueueDepth> } },
    worker: { onBatchStored: (collectionId: string, outcome: IngestOutcome) => void },
  ): void {
    this.queueDepth = () => context.ingestQueue.depth();
    // context.config is read at each batch: a configuration reload replaces it.
    worker.onBatchStored = (collectionId, outcome) => this.countIngest(context.config, collectionId, outcome);
  }

  /** One batch of a POST envelope processed by the ingest worker. */
  countIngest(config: AllianceConfig, collectionId: string, outcome: IngestOutcome): void {
    const collection = collectionLabel(config, collectionId);
    this.objectsIngested.inc({ collection }, outcome.stored);
    this.objectsRejected.inc({ collection }, outcome.refused);
  }
}
