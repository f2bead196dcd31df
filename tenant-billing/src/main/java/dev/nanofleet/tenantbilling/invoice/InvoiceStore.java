package dev.nanofleet.tenantbilling.invoice;

import static dev.nanofleet.tenantbilling.service.Jdbc.at;
import static dev.nanofleet.tenantbilling.service.Jdbc.decimal;
import static dev.nanofleet.tenantbilling.service.Jdbc.instant;

import dev.nanofleet.events.Isolation;
import dev.nanofleet.tenantbilling.meter.MeterStore;
import dev.nanofleet.tenantbilling.rating.Invoice;
import dev.nanofleet.tenantbilling.rating.LineItem;
import dev.nanofleet.tenantbilling.rating.Period;
import dev.nanofleet.tenantbilling.rating.Resource;
import dev.nanofleet.tenantbilling.service.Jdbc;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The one owner of final invoices and of which periods are done. Invoices are inserted once and never updated: the
 * unique (tenant, period) and (tenant, number) keys make a second finalisation of the same period fail rather than
 * change anything.
 */
@ApplicationScoped
public class InvoiceStore implements Invoices {

    private static final String COLUMNS = """
            id, tenant, number, period_start, period_end, currency, total, amount_due, finalized_at""";

    private final Jdbc jdbc;
    private final MeterStore meter;

    InvoiceStore(DataSource dataSource, MeterStore meter) {
        this.jdbc = new Jdbc(dataSource);
        this.meter = meter;
    }

    /** Derived from what it bills, so a replay into an empty database gives every invoice the same id. */
    public static UUID idOf(String tenant, Period period) {
        return UUID.nameUUIDFromBytes(
                ("nanofleet-invoice:" + tenant + ":" + period.start()).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public List<FinalInvoice> list(String tenant) {
        List<FinalInvoice> invoices = new ArrayList<>();
        jdbc.query("SELECT " + COLUMNS + " FROM invoice WHERE tenant = ? ORDER BY number DESC",
                select -> select.setString(1, tenant), row -> invoices.add(header(row)));
        return invoices.stream().map(this::withLines).toList();
    }

    @Override
    public Optional<FinalInvoice> find(String tenant, UUID id) {
        List<FinalInvoice> found = new ArrayList<>();
        jdbc.query("SELECT " + COLUMNS + " FROM invoice WHERE tenant = ? AND id = ?", select -> {
            select.setString(1, tenant);
            select.setObject(2, id);
        }, row -> found.add(header(row)));
        return found.stream().findFirst().map(this::withLines);
    }

    public boolean exists(String tenant, Period period) {
        List<Boolean> found = new ArrayList<>();
        jdbc.query("SELECT 1 FROM invoice WHERE tenant = ? AND period_start = ?", select -> {
            select.setString(1, tenant);
            select.setTimestamp(2, at(period.start()));
        }, row -> found.add(true));
        return !found.isEmpty();
    }

    /** The tenant's next invoice number: one more than its last, from 1. Call inside the inserting transaction. */
    public long nextNumber(String tenant) {
        long[] last = {0};
        jdbc.query("SELECT coalesce(max(number), 0) FROM invoice WHERE tenant = ?",
                select -> select.setString(1, tenant), row -> last[0] = row.getLong(1));
        return last[0] + 1;
    }

    /** Inserts a final invoice with its lines; call inside a transaction. */
    public void insert(FinalInvoice finalInvoice) {
        Invoice invoice = finalInvoice.invoice();
        jdbc.update("INSERT INTO invoice (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", insert -> {
            insert.setObject(1, finalInvoice.id());
            insert.setString(2, finalInvoice.tenant());
            insert.setLong(3, finalInvoice.number());
            insert.setTimestamp(4, at(invoice.period().start()));
            insert.setTimestamp(5, at(invoice.period().end()));
            insert.setString(6, invoice.currency());
            insert.setBigDecimal(7, invoice.total());
            insert.setBigDecimal(8, invoice.amountDue());
            insert.setTimestamp(9, at(finalInvoice.finalizedAt()));
        });
        List<LineItem> lines = invoice.lines();
        for (int position = 0; position < lines.size(); position++) {
            LineItem line = lines.get(position);
            int index = position;
            jdbc.update("""
                    INSERT INTO invoice_line (invoice_id, position, kind, deployment_id, isolation, resource,
                                              price_version, span_from, span_to, quantity, unit_price, amount)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", insert -> {
                insert.setObject(1, finalInvoice.id());
                insert.setInt(2, index);
                insert.setString(3, line.kind().name());
                insert.setObject(4, line.deploymentId());
                insert.setString(5, line.isolation().name());
                insert.setString(6, line.resource().name());
                insert.setString(7, line.priceVersion());
                insert.setTimestamp(8, at(line.from()));
                insert.setTimestamp(9, at(line.to()));
                insert.setBigDecimal(10, line.quantity());
                insert.setBigDecimal(11, line.unitPrice());
                insert.setBigDecimal(12, line.amount());
            });
        }
    }

    /** The last period whose invoices are all final; empty before the first. */
    public Optional<Period> lastFinalizedPeriod() {
        List<Period> last = new ArrayList<>();
        jdbc.query("SELECT period_start, period_end FROM finalized_period ORDER BY period_start DESC LIMIT 1",
                select -> {
                }, row -> last.add(new Period(instant(row, "period_start"), instant(row, "period_end"))));
        return last.stream().findFirst();
    }

    public void markFinalized(Period period) {
        jdbc.update("INSERT INTO finalized_period (period_start, period_end) VALUES (?, ?) ON CONFLICT DO NOTHING",
                insert -> {
                    insert.setTimestamp(1, at(period.start()));
                    insert.setTimestamp(2, at(period.end()));
                });
    }

    /** The invoice without its lines (they come from a second query). */
    private static FinalInvoice header(ResultSet row) throws SQLException {
        String tenant = row.getString("tenant");
        Invoice invoice = new Invoice(tenant, new Period(instant(row, "period_start"), instant(row, "period_end")),
                row.getString("currency"), List.of(), decimal(row, "total"), decimal(row, "amount_due"));
        return new FinalInvoice(row.getObject("id", UUID.class), tenant, row.getLong("number"), invoice,
                instant(row, "finalized_at"), Map.of());
    }

    private FinalInvoice withLines(FinalInvoice header) {
        List<LineItem> lines = new ArrayList<>();
        jdbc.query("""
                SELECT kind, deployment_id, isolation, resource, price_version, span_from, span_to, quantity,
                       unit_price, amount
                FROM invoice_line WHERE invoice_id = ? ORDER BY position""",
                select -> select.setObject(1, header.id()),
                row -> lines.add(new LineItem(LineItem.Kind.valueOf(row.getString("kind")),
                        row.getObject("deployment_id", UUID.class), Isolation.valueOf(row.getString("isolation")),
                        Resource.valueOf(row.getString("resource")), row.getString("price_version"),
                        instant(row, "span_from"), instant(row, "span_to"), decimal(row, "quantity"),
                        decimal(row, "unit_price"), decimal(row, "amount"))));
        Invoice h = header.invoice();
        Invoice invoice = new Invoice(h.tenant(), h.period(), h.currency(), lines, h.total(), h.amountDue());
        return new FinalInvoice(header.id(), header.tenant(), header.number(), invoice, header.finalizedAt(),
                meter.names(lines.stream().map(LineItem::deploymentId).filter(Objects::nonNull).distinct().toList()));
    }
}
