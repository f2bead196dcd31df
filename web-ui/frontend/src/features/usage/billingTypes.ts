import type { BillingSchemas } from "../../api/billingApi";
import type { Exact } from "../../api/exactJson";

/** tenant-billing's answers as read by readExact: every number is the exact decimal string it was sent as. */
export type Usage = Exact<BillingSchemas["Usage"]>;
export type UsageRow = Exact<BillingSchemas["UsageRow"]>;
export type Forecast = Exact<BillingSchemas["Forecast"]>;
export type InvoiceSummary = Exact<BillingSchemas["InvoiceSummary"]>;
export type Invoice = Exact<BillingSchemas["Invoice"]>;
export type InvoiceLine = Exact<BillingSchemas["InvoiceLine"]>;
export type SpendLimitStatus = Exact<BillingSchemas["SpendLimitStatus"]>;
export type Period = BillingSchemas["Period"];

export type Mode = "hardware" | "shared";
export const MODES: readonly Mode[] = ["hardware", "shared"];
/** The words the badges use (IsolationBadge): a mode is never told by its colour alone. */
export const MODE_NAMES: Record<Mode, string> = { hardware: "VM", shared: "Shared kernel" };
