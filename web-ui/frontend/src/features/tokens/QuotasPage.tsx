import { Page } from "../../ui/components";

export default function QuotasPage() {
  return (
    <Page title="Quotas">
      <p className="muted">Not built yet.</p>
    </Page>
  );
}
