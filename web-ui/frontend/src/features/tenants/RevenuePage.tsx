import { Page } from "../../ui/components";

export default function RevenuePage() {
  return (
    <Page title="Revenue">
      <p className="muted">Not built yet.</p>
    </Page>
  );
}
