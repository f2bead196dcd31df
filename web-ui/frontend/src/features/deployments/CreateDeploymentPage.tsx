import { Page } from "../../ui/components";

export default function CreateDeploymentPage() {
  return (
    <Page title="Create Deployment">
      <p className="muted">Not built yet.</p>
    </Page>
  );
}
