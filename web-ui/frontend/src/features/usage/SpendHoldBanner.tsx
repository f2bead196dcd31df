import { useId } from "react";
import { Link } from "react-router";
import type { Schemas } from "../../api/controlApi";
import { dateTime, money } from "../../ui/format";
import type { SpendLimitStatus } from "./billingTypes";

export type SpendHold = Schemas["SpendHold"];

/** A hold as billing's spend-limit status tells it (for when control-api's `me` was read before the hold began). */
export function holdFromStatus(status: SpendLimitStatus): SpendHold | undefined {
  if (!status.heldSince || !status.limit) return undefined;
  return {
    since: status.heldSince,
    limit: status.limit.amount,
    spend: status.spend,
    currency: status.limit.currency,
    periodEnd: status.period.end,
  };
}

/**
 * The tenant's hard spend limit is reached: what that means for its deployments and how it ends. Shown wherever the
 * API reports the hold (me, the tenant's usage, billing's spend-limit status).
 */
export function SpendHoldBanner({ hold, linkToLimit = false }: { hold: SpendHold | undefined; linkToLimit?: boolean }) {
  const titleId = useId();
  if (!hold) return null;
  return (
    <section className="alert alert-error spend-hold" aria-labelledby={titleId}>
      <h2 id={titleId} className="spend-hold-title">
        Spending is on hold
      </h2>
      <p>
        Your hard spend limit of <strong>{money(hold.limit, hold.currency)}</strong> was reached on {dateTime(hold.since)}{" "}
        (spent this period: {money(hold.spend, hold.currency)}).
      </p>
      <ul>
        <li>Your running deployments were stopped. Their specs, revisions and logs are kept.</li>
        <li>Creating, starting, restarting or scaling up deployments is refused until you raise or remove the limit, or
          the period ends on {dateTime(hold.periodEnd)}.</li>
        <li>Stopped deployments stay stopped after the hold is lifted: start them again yourself.</li>
      </ul>
      {linkToLimit && (
        <p>
          <Link to="/usage#spend-limit">Change the spend limit</Link>
        </p>
      )}
    </section>
  );
}
