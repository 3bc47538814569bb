/** Placeholder: the admin views are built on their own branch (console-admin); replace this file. */
export function AuditPage() {
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">Audit trail</h1>
      <p>Not built yet.</p>
    </section>
  );
}
