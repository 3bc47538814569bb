import { depthReason } from '../stix/limits';
import type { StatusDetail } from '../storage/repository';
import { detailId, detailVersion } from '../taxii/status-details';
import { versionOf } from '../taxii/versions';

/**
 * One stored batch of an envelope, as the ingest queue keeps it (a text it does not read). An item
 * nested deeper than the depth limit cannot even be serialised again (JSON.stringify recurses), so
 * it is refused when the envelope is accepted: its place holds null and its failure is kept beside.
 */
interface BatchText {
  items: unknown[];
  refused: Record<string, StatusDetail>;
}

export interface IngestBatch {
  items: unknown[];
  /** Failures decided at acceptance, by index in the batch. */
  refused: Map<number, StatusDetail>;
}

export function encodeBatch(items: readonly unknown[], offset: number, requestTimestamp: string): string {
  const text: BatchText = { items: [], refused: {} };
  items.forEach((item, index) => {
    const tooDeep = depthReason(item);
    if (tooDeep === undefined) {
      text.items.push(item);
      return;
    }
    const object = typeof item === 'object' && item !== null && !Array.isArray(item) ? (item as Record<string, unknown>) : undefined;
    text.items.push(null);
    text.refused[String(index)] = { id: detailId(object?.id, offset + index), version: detailVersion(object ? versionOf(object) : undefined, requestTimestamp), message: tooDeep };
  });
  return JSON.stringify(text);
}

export function decodeBatch(text: string | undefined): IngestBatch {
  if (text === undefined) return { items: [], refused: new Map() };
  const parsed = JSON.parse(text) as BatchText;
  return { items: parsed.items, refused: new Map(Object.entries(parsed.refused).map(([index, detail]) => [Number(index), detail])) };
}
