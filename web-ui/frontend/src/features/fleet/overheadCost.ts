import type { BillingApi, BillingSchemas } from "../../api/billingApi";
import { data } from "../../api/controlApi";
import { readExact, type Exact } from "../../api/exactJson";

export type Prices = Exact<BillingSchemas["Prices"]>;

/** GET /v1/prices, its money read as exact decimals. */
export async function loadPrices(billing: BillingApi): Promise<Prices> {
  return readExact<BillingSchemas["Prices"]>(await data(billing.GET("/v1/prices", { parseAs: "text" })));
}

const GIB = 1n << 30n;
const SCALE = 12;

/**
 * What memory the VMs hold beyond their reservations would cost per hour at the hardware-isolated GiB-hour price:
 * exact (BigInt) to 12 decimals, then shown to 4, since it is a rate to compare rather than an amount to bill.
 */
export function overheadCostPerHour(perGibHour: string, overheadBytes: number): string {
  const [whole = "0", fraction = ""] = perGibHour.split(".");
  const price = BigInt(whole + fraction.padEnd(SCALE, "0").slice(0, SCALE));
  const cost = (price * BigInt(Math.max(0, Math.round(overheadBytes)))) / GIB; // in 10^-12 of the currency
  const digits = cost.toString().padStart(SCALE + 1, "0");
  const integer = digits.slice(0, -SCALE);
  const decimals = digits.slice(-SCALE, -SCALE + 4);
  return `${integer}.${decimals}`;
}
