import { Page } from "../../ui/components";

export default function PendingPage() {
  return (
    <Page title="Pending">
      <p className="muted">Not built yet.</p>
    </Page>
  );
}
