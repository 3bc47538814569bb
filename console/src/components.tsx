import type { StixObject } from './taxii';
import { tlpOf } from './stix';

export function TlpBadge({ object }: { object: StixObject }) {
  const level = tlpOf(object);
  if (!level) return <span className="tlp tlp-none">unmarked</span>;
  return <span className={`tlp tlp-${level.toLowerCase().replace('+', '-')}`}>TLP:{level}</span>;
}

export function JsonView({ value, label }: { value: unknown; label: string }) {
  return <pre className="json" aria-label={label} tabIndex={0}>{JSON.stringify(value, null, 2)}</pre>;
}

/** Offers `content` as a file download, without a round trip to the server. */
export function saveFile(name: string, content: string, mediaType: string): void {
  const url = URL.createObjectURL(new Blob([content], { type: mediaType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.appendChild(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(url);
}
