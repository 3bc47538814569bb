/**
 * The sentence of a TAXII error resource (TAXII 2.1 §3.6.1: its title and description), or of
 * whatever else a remote answered instead, such as a proxy's HTML page, folded and cut short.
 * Used where this server is the client: the publish CLI and the downstream push.
 */
export function describeErrorBody(body: string): string {
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed === 'object' && parsed !== null) {
      const { title, description } = parsed as { title?: unknown; description?: unknown };
      const parts = [title, description].filter((part): part is string => typeof part === 'string' && part.length > 0);
      if (parts.length > 0) return parts.join(': ');
    }
  } catch {
    // Not JSON: its text is shown as it is.
  }
  const text = body.replace(/\s+/g, ' ').trim();
  return text.length > 160 ? `${text.slice(0, 160)}…` : text;
}
