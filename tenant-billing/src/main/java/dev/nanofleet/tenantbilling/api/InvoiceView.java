package dev.nanofleet.tenantbilling.api;

import dev.nanofleet.tenantbilling.invoice.FinalInvoice;
import dev.nanofleet.tenantbilling.rating.Invoice;
import dev.nanofleet.tenantbilling.rating.LineItem;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A final invoice in full. The same invoice always gives the same bytes: fields in declaration order, decimals exactly
 * as stored (plain, never in exponent form), times ISO-8601 in UTC.
 */
@Schema(name = "Invoice")
public record InvoiceView(@Schema(required = true) UUID id,
        @Schema(required = true, description = "the tenant's invoice number, from 1 without gaps") long number,
        @Schema(required = true, example = "NF-acme-00001") String displayNumber,
        @Schema(required = true) String tenant, @Schema(required = true) PeriodView period,
        @Schema(required = true, example = "EUR") String currency,
        @Schema(required = true, description = "the period's cutoff: the issue date") Instant finalizedAt,
        @Schema(required = true) List<Line> lines,
        @Schema(required = true, description = "the exact sum of the lines' amounts") BigDecimal total,
        @Schema(required = true, description = "total rounded half-even to cents; negative is a credit") BigDecimal amountDue,
        @Schema(required = true) Links links) {

    /** One line: a quantity of one resource of one deployment in one mode at one price version's unit price. */
    @Schema(name = "InvoiceLine")
    public record Line(@Schema(required = true, enumeration = {
            "usage", "adjustment", "free-grant"}) String kind,
            @Schema(required = true, nullable = true) UUID deploymentId,
            @Schema(required = true, nullable = true, description = "null when the meter never saw the deployment created") String deploymentName,
            @Schema(required = true, enumeration = {"hardware", "shared"}) String isolation,
            @Schema(required = true, enumeration = {"vcpu", "memory"}) String resource,
            @Schema(required = true, enumeration = {"vCPU-s", "GiB-s"}) String unit,
            @Schema(required = true) String priceVersion, @Schema(required = true, nullable = true) Instant from,
            @Schema(required = true, nullable = true) Instant to,
            @Schema(required = true) BigDecimal quantity, @Schema(required = true) BigDecimal unitPrice,
            @Schema(required = true, description = "quantity times unitPrice, exact") BigDecimal amount){

        static Line of(LineItem line, String deploymentName) {
            return new Line(ApiNames.of(line.kind()), line.deploymentId(), deploymentName,
                    ApiNames.of(line.isolation()), ApiNames.of(line.resource()), line.resource().unit(),
                    line.priceVersion(), line.from(), line.to(), line.quantity(), line.unitPrice(), line.amount());
        }
    }

    /** Where the invoice is in other formats. */
    @Schema(name = "InvoiceLinks")
    public record Links(@Schema(required = true) String self, @Schema(required = true) String csv,
            @Schema(required = true) String pdf) {

        static Links of(UUID id) {
            String self = "/v1/invoices/" + id;
            return new Links(self, self + ".csv", self + ".pdf");
        }
    }

    public static InvoiceView of(FinalInvoice stored) {
        Invoice invoice = stored.invoice();
        return new InvoiceView(stored.id(), stored.number(), stored.displayNumber(), stored.tenant(),
                PeriodView.of(invoice.period()), invoice.currency(), stored.finalizedAt(),
                invoice.lines().stream()
                        .map(line -> Line.of(line, line.deploymentId() == null
                                ? null
                                : stored.deploymentNames().get(line.deploymentId())))
                        .toList(),
                invoice.total(), invoice.amountDue(), Links.of(stored.id()));
    }

    /** An invoice in a list: its header and totals, with links to the whole. */
    @Schema(name = "InvoiceSummary")
    public record Summary(@Schema(required = true) UUID id, @Schema(required = true) long number,
            @Schema(required = true, example = "NF-acme-00001") String displayNumber,
            @Schema(required = true) PeriodView period, @Schema(required = true) String currency,
            @Schema(required = true) BigDecimal total, @Schema(required = true) BigDecimal amountDue,
            @Schema(required = true) Instant finalizedAt, @Schema(required = true) Links links) {

        public static Summary of(FinalInvoice stored) {
            Invoice invoice = stored.invoice();
            return new Summary(stored.id(), stored.number(), stored.displayNumber(), PeriodView.of(invoice.period()),
                    invoice.currency(), invoice.total(), invoice.amountDue(), stored.finalizedAt(),
                    Links.of(stored.id()));
        }
    }
}
