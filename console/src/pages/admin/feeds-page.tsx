import { listFeeds } from '../../admin-components/admin-api';
import { shortDate } from '../../admin-components/feedback';
import { useLoad } from '../../use-load';

function lagOf(seconds: number | undefined): string {
  if (seconds === undefined) return 'never synchronised';
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  return `${Math.round(seconds / 3600)} h`;
}

/** Upstream TAXII feeds mirrored into the collections this admin administers, and how each is doing (docs/federation.md). */
export function FeedsPage() {
  const loaded = useLoad(listFeeds, []);
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">Mirrored feeds</h1>
      {loaded.state === 'loading' && <p role="status">Loading…</p>}
      {loaded.state === 'failed' && <p role="alert" className="error">{loaded.error.message}</p>}
      {loaded.state === 'done' && loaded.value.length === 0 && <p>No collection you administer mirrors an upstream feed.</p>}
      {loaded.state === 'done' && loaded.value.length > 0 && (
        <table>
          <caption>Feeds and their last poll</caption>
          <thead>
            <tr>
              <th scope="col">Feed</th><th scope="col">Collection</th><th scope="col">Upstream</th><th scope="col">Health</th><th scope="col">Behind by</th>
              <th scope="col">Last poll</th><th scope="col">Mirrored / duplicate / rejected</th><th scope="col">Last error</th>
            </tr>
          </thead>
          <tbody>
            {loaded.value.map((feed) => (
              <tr key={feed.id}>
                <th scope="row">{feed.id}</th>
                <td>{feed.collection_alias ?? feed.collection_id}</td>
                <td>{feed.url} <small>(every {feed.poll_interval} s)</small></td>
                <td><span className={`health health-${feed.health}`}>{feed.health}{feed.consecutive_failures > 0 ? ` (${feed.consecutive_failures} failures in a row)` : ''}</span></td>
                <td>{lagOf(feed.lag_seconds)}</td>
                <td>{shortDate(feed.last_poll_at) || 'never'}</td>
                <td>{feed.objects_mirrored} / {feed.objects_duplicate} / {feed.objects_rejected}</td>
                <td>{feed.last_error ? `${shortDate(feed.last_error.at)}: ${feed.last_error.message}` : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
