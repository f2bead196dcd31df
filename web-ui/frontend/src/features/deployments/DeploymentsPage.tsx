import { Page } from "../../ui/components";

export default function DeploymentsPage() {
  return (
    <Page title="Deployments">
      <p className="muted">Not built yet.</p>
    </Page>
  );
}
