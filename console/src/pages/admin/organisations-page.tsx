/** Placeholder: the admin views are built on their own branch (console-admin); replace this file. */
export function OrganisationsPage() {
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">Organisations</h1>
      <p>Not built yet.</p>
    </section>
  );
}
