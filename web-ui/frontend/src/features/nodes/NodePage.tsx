import { Page } from "../../ui/components";

export default function NodePage() {
  return (
    <Page title="Node">
      <p className="muted">Not built yet.</p>
    </Page>
  );
}
