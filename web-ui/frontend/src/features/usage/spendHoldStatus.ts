import type { SpendHold } from "../../ui/SpendHoldBanner";
import type { SpendLimitStatus } from "./billingTypes";

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
