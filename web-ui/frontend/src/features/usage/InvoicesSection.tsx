import { useEffect, useRef, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { useSession } from "../../app/session";
import { ErrorAlert, Loading } from "../../ui/components";
import { DataTable, type Column } from "../../ui/DataTable";
import { dateTime, money } from "../../ui/format";
import { useResource } from "../../ui/useResource";
import { downloadInvoice, loadInvoice, loadInvoices, type InvoiceFormat } from "./billingCalls";
import { MODE_NAMES, type Invoice, type InvoiceLine, type InvoiceSummary } from "./billingTypes";
import { approximate, grouped, isNegative } from "../../ui/decimal";
import { periodText } from "./usageShape";

/** The amount due, which is a credit when negative. */
function amountDue(amount: string, currency: string) {
  return isNegative(amount) ? `${money(amount.replace(/^-/, ""), currency)} credit` : money(amount, currency);
}

/** A signed amount with its minus before the symbol (−$0.50: a free grant's credit line). */
function signed(amount: string, currency: string) {
  return isNegative(amount) ? `−${money(amount.replace(/^-/, ""), currency)}` : money(amount, currency);
}

export function InvoicesSection() {
  const { billing } = useSession();
  const invoices = useResource(() => loadInvoices(billing), [billing]);
  const [params] = useSearchParams();
  const open = params.get("invoice");

  const columns: Column<InvoiceSummary>[] = [
    {
      key: "number",
      header: "Invoice",
      cell: (i) => (
        <Link to={{ search: `?invoice=${encodeURIComponent(i.id)}` }} aria-current={open === i.id ? "true" : undefined}>
          {i.displayNumber}
        </Link>
      ),
      sortValue: (i) => Number(i.number),
      filterText: (i) => i.displayNumber,
    },
    { key: "period", header: "Period", cell: (i) => periodText(i.period), sortValue: (i) => i.period.start },
    { key: "issued", header: "Issued", cell: (i) => dateTime(i.finalizedAt), sortValue: (i) => i.finalizedAt },
    { key: "total", header: "Total", cell: (i) => <span className="num">{signed(i.total, i.currency)}</span>, sortValue: (i) => approximate(i.total) },
    {
      key: "due",
      header: "Amount due",
      cell: (i) => <span className="num">{amountDue(i.amountDue, i.currency)}</span>,
      sortValue: (i) => approximate(i.amountDue),
    },
    { key: "files", header: "Files", cell: (i) => <DownloadButtons invoice={i} /> },
  ];

  return (
    <section aria-labelledby="invoices" className="billing-section">
      <h2 id="invoices" tabIndex={-1}>
        Invoices
      </h2>
      <p className="muted">
        Final invoices, newest first. A period's invoice is issued after it ends (plus a grace time for late usage) and
        never changes; usage reported later appears as adjustment lines on the next one.
      </p>
      <ErrorAlert error={invoices.error} title="Could not load the invoices" />
      {!invoices.data && invoices.loading && <Loading what="the invoices" />}
      {invoices.data && (
        <DataTable
          caption="Invoices"
          columns={columns}
          rows={invoices.data}
          rowKey={(i) => i.id}
          empty="No invoices yet: the first is issued after your first billing period ends."
        />
      )}
      {open && <InvoiceDetail key={open} id={open} />}
    </section>
  );
}

/** PDF and CSV of one invoice, fetched with the bearer token and saved under billing's file name. */
export function DownloadButtons({ invoice, inDetail = false }: { invoice: { id: string; displayNumber: string }; inDetail?: boolean }) {
  const { config, token } = useSession();
  const [busy, setBusy] = useState<InvoiceFormat>();
  const [error, setError] = useState<unknown>();
  const download = async (format: InvoiceFormat) => {
    setBusy(format);
    setError(undefined);
    try {
      await downloadInvoice(config.billingUrl, token, invoice, format);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(undefined);
    }
  };
  return (
    <span className="downloads">
      {(["pdf", "csv"] as const).map((format) => (
        <button
          key={format}
          type="button"
          className="button small"
          disabled={busy !== undefined}
          onClick={() => void download(format)}
        >
          {/* a row's buttons name their invoice; the open invoice's own say "Download PDF" (names stay unique) */}
          {inDetail ? "Download" : <span className="visually-hidden">{`Download ${invoice.displayNumber} as`}</span>}{" "}
          {format.toUpperCase()}
          {busy === format ? "…" : ""}
        </button>
      ))}
      <ErrorAlert error={error} title={`Could not download ${invoice.displayNumber}`} />
    </span>
  );
}

const KIND_NAMES: Record<InvoiceLine["kind"], string> = { usage: "usage", adjustment: "adjustment", "free-grant": "free grant" };
const RESOURCE_NAMES: Record<InvoiceLine["resource"], string> = { vcpu: "vCPU", memory: "memory" };

function InvoiceDetail({ id }: { id: string }) {
  const { billing } = useSession();
  const invoice = useResource(() => loadInvoice(billing, id), [billing, id]);
  const [, setParams] = useSearchParams();
  const heading = useRef<HTMLHeadingElement>(null);
  const loaded = Boolean(invoice.data);
  useEffect(() => {
    if (loaded) heading.current?.focus();
  }, [loaded]);

  const close = () => {
    setParams((p) => {
      const next = new URLSearchParams(p);
      next.delete("invoice");
      return next;
    });
    document.getElementById("invoices")?.focus();
  };

  return (
    <section className="invoice-detail" aria-labelledby="invoice-title">
      <div className="invoice-head">
        <h3 id="invoice-title" ref={heading} tabIndex={-1}>
          Invoice {invoice.data?.displayNumber ?? ""}
        </h3>
        <button type="button" className="button small" onClick={close}>
          Close invoice
        </button>
      </div>
      <ErrorAlert error={invoice.error} title="Could not open the invoice" />
      {!invoice.data && invoice.loading && <Loading what="the invoice" />}
      {invoice.data && <InvoiceBody invoice={invoice.data} />}
    </section>
  );
}

function InvoiceBody({ invoice }: { invoice: Invoice }) {
  const currency = invoice.currency;
  const columns: Column<InvoiceLine & { key: string }>[] = [
    { key: "kind", header: "Kind", cell: (l) => KIND_NAMES[l.kind] },
    { key: "deployment", header: "Deployment", cell: (l) => l.deploymentName ?? l.deploymentId ?? "" },
    { key: "isolation", header: "Isolation", cell: (l) => MODE_NAMES[l.isolation] },
    { key: "resource", header: "Resource", cell: (l) => RESOURCE_NAMES[l.resource] },
    { key: "span", header: "Span", cell: (l) => (l.from && l.to ? periodText({ start: l.from, end: l.to }) : "") },
    { key: "quantity", header: "Quantity", cell: (l) => <span className="num">{`${grouped(l.quantity)} ${l.unit}`}</span> },
    { key: "price", header: "Unit price", cell: (l) => <span className="num">{money(l.unitPrice, currency)}</span> },
    { key: "amount", header: "Amount", cell: (l) => <span className="num">{signed(l.amount, currency)}</span> },
    { key: "version", header: "Prices", cell: (l) => <span className="mono">{l.priceVersion}</span> },
  ];
  return (
    <>
      <dl className="facts">
        <div>
          <dt>Period</dt>
          <dd>{periodText(invoice.period)}</dd>
        </div>
        <div>
          <dt>Issued</dt>
          <dd>{dateTime(invoice.finalizedAt)}</dd>
        </div>
        <div>
          <dt>Total (exact)</dt>
          <dd className="num">{signed(invoice.total, currency)}</dd>
        </div>
        <div>
          <dt>Amount due</dt>
          <dd className="num">
            <strong>{amountDue(invoice.amountDue, currency)}</strong> <span className="muted">(total rounded to cents)</span>
          </dd>
        </div>
        <div>
          <dt>Files</dt>
          <dd>
            <DownloadButtons invoice={invoice} inDetail />
          </dd>
        </div>
      </dl>
      <DataTable
        caption={`Lines of invoice ${invoice.displayNumber}`}
        columns={columns}
        rows={invoice.lines.map((l, i) => ({ ...l, key: String(i) }))}
        rowKey={(l) => l.key}
        empty="This invoice has no lines."
      />
    </>
  );
}
