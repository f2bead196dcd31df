package dev.nanofleet.tenantbilling.render;

import dev.nanofleet.tenantbilling.invoice.FinalInvoice;
import dev.nanofleet.tenantbilling.rating.LineItem;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * An invoice's lines as CSV (RFC 4180): a header row, then one row per line in the invoice's order, CRLF line ends, a
 * field quoted when it holds a comma, a quote or a line break (its quotes doubled). Decimals are exact and plain, times
 * ISO-8601 UTC, so a spreadsheet's sum of {@code amount} is the invoice's total. Pure and deterministic.
 */
public final class InvoiceCsv {

    public static final String MEDIA_TYPE = "text/csv";
    static final List<String> HEADER = List.of("invoice", "kind", "deploymentId", "deploymentName", "isolation",
            "resource", "unit", "priceVersion", "from", "to", "quantity", "unitPrice", "amount", "currency");

    private InvoiceCsv() {
    }

    public static String render(FinalInvoice stored) {
        StringBuilder out = new StringBuilder();
        row(out, HEADER);
        String currency = stored.invoice().currency();
        for (LineItem line : stored.invoice().lines()) {
            row(out, List.of(stored.displayNumber(), name(line.kind()), text(line.deploymentId()),
                    line.deploymentId() == null ? "" : text(stored.deploymentNames().get(line.deploymentId())),
                    name(line.isolation()), name(line.resource()), line.resource().unit(), line.priceVersion(),
                    time(line.from()), time(line.to()), decimal(line.quantity()), decimal(line.unitPrice()),
                    decimal(line.amount()), currency));
        }
        return out.toString();
    }

    /** One record; RFC 4180 ends every record, the last included, with CRLF. */
    static void row(StringBuilder out, List<String> fields) {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(field(fields.get(i)));
        }
        out.append("\r\n");
    }

    static String field(String value) {
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\r') < 0 && value.indexOf('\n') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }

    private static String name(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static String text(Object value) {
        return value == null ? "" : value.toString();
    }

    private static String time(Instant value) {
        return value == null ? "" : value.toString();
    }

    private static String decimal(BigDecimal value) {
        return value.toPlainString();
    }
}
