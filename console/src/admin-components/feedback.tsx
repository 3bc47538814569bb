import { ApiError } from '../api';

/** The API's own sentence for a refusal (its TAXII error resource), else the error's message. */
export function messageOf(error: unknown): string {
  if (error instanceof ApiError) return error.description ? `${error.title}: ${error.description}` : error.title;
  return error instanceof Error ? error.message : String(error);
}

/** The outcome of the last change on a page: announced to screen readers as it appears. */
export type Outcome = { kind: 'done'; text: string } | { kind: 'failed'; text: string } | undefined;

export function OutcomeLine({ outcome }: { outcome: Outcome }) {
  if (!outcome) return null;
  return outcome.kind === 'failed'
    ? <p role="alert" className="error">{outcome.text}</p>
    : <p role="status" className="done">{outcome.text}</p>;
}

/** Runs a change and says how it went; returns whether it succeeded, so the caller can reload. */
export async function attempt(change: () => Promise<unknown>, success: string, report: (outcome: Outcome) => void): Promise<boolean> {
  try {
    await change();
    report({ kind: 'done', text: success });
    return true;
  } catch (error) {
    report({ kind: 'failed', text: messageOf(error) });
    return false;
  }
}

export const shortDate = (iso: string | undefined): string => (iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '');
