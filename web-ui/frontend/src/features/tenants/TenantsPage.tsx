import { Page } from "../../ui/components";

export default function TenantsPage() {
  return (
    <Page title="Tenants">
      <p className="muted">Not built yet.</p>
    </Page>
  );
}
