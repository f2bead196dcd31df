import { Page } from "../../ui/components";

export default function DeploymentPage() {
  return (
    <Page title="Deployment">
      <p className="muted">Not built yet.</p>
    </Page>
  );
}
