import { useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
// The server's one list of audit actions (a file without imports), so the filter offers exactly what GET /admin/audit takes.
import { AUDIT_ACTIONS } from '../../../../server/storage/audit-log';
import { listCollections, listOrganisations, readAuditTrail, type AuditFilter, type AuditRecord } from '../../admin-components/admin-api';
import { mayChooseAuditOrganisation } from '../../admin-components/admin-rights';
import { shortDate } from '../../admin-components/feedback';
import { useSession } from '../../session';
import { useLoad } from '../../use-load';

const FILTER_NAMES = ['action', 'org', 'collection', 'since', 'until', 'limit'] as const;
type FilterName = (typeof FILTER_NAMES)[number];
type FilterForm = Record<FilterName, string>;

/** The filter lives in the address, so a filtered view can be reloaded, bookmarked and sent to a colleague. */
function formOf(params: URLSearchParams): FilterForm {
  return Object.fromEntries(FILTER_NAMES.map((name) => [name, params.get(name) ?? ''])) as FilterForm;
}

function filterOf(form: FilterForm): AuditFilter {
  return {
    action: form.action || undefined,
    org: form.org || undefined,
    collection: form.collection || undefined,
    since: form.since || undefined,
    // A bare date means its midnight to the API; "until" a day reads as to the end of it.
    until: form.until ? `${form.until}T23:59:59.999Z` : undefined,
    limit: form.limit ? Number(form.limit) : 200,
  };
}

/** What a record is about, in one line: the diff of a configuration change, the count of a read. */
function summaryOf(record: AuditRecord): string {
  const details = record.details ?? {};
  if (Array.isArray(details.diff)) return details.diff.map(String).join('; ');
  const parts: string[] = [];
  if (record.object_ids) parts.push(`${record.object_ids.length} object(s): ${record.object_ids.slice(0, 3).join(', ')}${record.object_ids.length > 3 ? ', …' : ''}`);
  for (const [name, value] of Object.entries(details)) if (name !== 'via') parts.push(`${name}: ${typeof value === 'string' ? value : JSON.stringify(value)}`);
  return parts.join('; ');
}

/**
 * Who read or changed what, and when: the audit trail an admin may read (its own organisation's
 * members and its own collections; everything for an alliance-admin), newest first.
 */
export function AuditPage() {
  const { session } = useSession();
  const [params, setParams] = useSearchParams();
  const applied = formOf(params);
  const [form, setForm] = useState<FilterForm>(applied);
  const choices = useLoad(async () => ({ collections: await listCollections(), organisations: await listOrganisations() }), []);
  const records = useLoad(() => readAuditTrail(filterOf(applied)), [params.toString()]);
  if (!session) return null;

  const aliases = new Map(choices.state === 'done' ? choices.value.collections.map((c) => [c.id, c.alias ?? c.title]) : []);
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setParams(Object.fromEntries(Object.entries(form).filter(([, value]) => value !== '')));
  };
  const field = (name: FilterName) => ({ id: `audit-${name}`, value: form[name], onChange: (event: { target: { value: string } }) => setForm({ ...form, [name]: event.target.value }) });
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">Audit trail</h1>
      <form onSubmit={onSubmit} className="filters" aria-label="Audit filters">
        <div className="field">
          <label htmlFor="audit-action">Action</label>
          <select {...field('action')}>
            <option value="">any</option>
            {AUDIT_ACTIONS.map((action) => <option key={action} value={action}>{action}</option>)}
          </select>
        </div>
        {mayChooseAuditOrganisation(session) && (
          <div className="field">
            <label htmlFor="audit-org">Organisation</label>
            <select {...field('org')}>
              <option value="">all</option>
              {choices.state === 'done' && choices.value.organisations.map((org) => <option key={org.id} value={org.id}>{org.id}</option>)}
            </select>
          </div>
        )}
        <div className="field">
          <label htmlFor="audit-collection">Collection</label>
          <select {...field('collection')}>
            <option value="">{mayChooseAuditOrganisation(session) ? 'any' : `any of ${session.organisation}'s`}</option>
            {choices.state === 'done' && choices.value.collections.map((c) => <option key={c.id} value={c.id}>{c.alias ?? c.title}</option>)}
          </select>
        </div>
        <div className="field">
          <label htmlFor="audit-since">Since</label>
          <input type="date" {...field('since')} />
        </div>
        <div className="field">
          <label htmlFor="audit-until">Until</label>
          <input type="date" {...field('until')} />
        </div>
        <div className="field">
          <label htmlFor="audit-limit">At most</label>
          <input type="number" min={1} max={10000} placeholder="200" {...field('limit')} />
        </div>
        <button type="submit">Show</button>
      </form>
      {records.state === 'loading' && <p role="status">Loading…</p>}
      {records.state === 'failed' && <p role="alert" className="error">{records.error.message}</p>}
      {records.state === 'done' && (
        <table>
          <caption>{records.value.length} record(s), newest first</caption>
          <thead>
            <tr><th scope="col">When</th><th scope="col">Action</th><th scope="col">Who</th><th scope="col">Collection</th><th scope="col">What</th><th scope="col">Request</th></tr>
          </thead>
          <tbody>
            {records.value.map((record, index) => (
              <tr key={`${record.at} ${record.request_id ?? ''} ${index}`}>
                <td>{shortDate(record.at)}</td>
                <td>{record.action}</td>
                <td>{record.username ?? 'unknown'}{record.organisation ? ` (${record.organisation})` : ''}</td>
                <td>{record.collection_id ? aliases.get(record.collection_id) ?? record.collection_id : ''}</td>
                <td>{summaryOf(record)}</td>
                <td>{record.request_id ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
