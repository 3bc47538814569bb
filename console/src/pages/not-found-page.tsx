/** The same page for "does not exist" and "not yours to see", as the API's 404 (TAXII 2.1 §1.6.9). */
export function NotFoundPage() {
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">Not found</h1>
      <p>This page does not exist, or you do not have access to it.</p>
    </section>
  );
}
