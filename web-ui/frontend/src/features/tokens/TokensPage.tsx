import { Page } from "../../ui/components";

export default function TokensPage() {
  return (
    <Page title="Tokens">
      <p className="muted">Not built yet.</p>
    </Page>
  );
}
