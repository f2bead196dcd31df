package dev.nanofleet.tenantbilling.render;

import static org.assertj.core.api.Assertions.assertThat;

import com.lowagie.text.pdf.PdfReader;
import com.lowagie.text.pdf.parser.PdfTextExtractor;
import dev.nanofleet.tenantbilling.fakes.Fixtures;
import dev.nanofleet.tenantbilling.invoice.FinalInvoice;
import dev.nanofleet.tenantbilling.rating.Invoice;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class InvoicePdfTest {

    private final FinalInvoice invoice = Fixtures.invoice(UUID.fromString("a0000000-0000-4000-8000-000000000001"),
            "acme", 7, Fixtures.JANUARY);

    static String text(byte[] pdf) throws IOException {
        PdfReader reader = new PdfReader(pdf);
        try {
            PdfTextExtractor extractor = new PdfTextExtractor(reader);
            StringBuilder text = new StringBuilder();
            for (int page = 1; page <= reader.getNumberOfPages(); page++) {
                text.append(extractor.getTextFromPage(page)).append('\n');
            }
            return text.toString();
        } finally {
            reader.close();
        }
    }

    @Test
    void the_pdf_shows_seller_tenant_number_period_issue_date_lines_by_deployment_and_the_amounts() throws Exception {
        String text = text(InvoicePdf.render(invoice));

        assertThat(text).contains("Nanofleet", "Tenant acme", "NF-acme-00007", "2026-01-01 00:00:00",
                "2026-02-01 00:00:00", "Issue date: 2026-02-01", "Deployment web", "Free grant", "0.0000125",
                "22.500000", "Amount due", "half-even");
        assertThat(text).contains(InvoicePdf.amount(invoice.invoice().total()) + " EUR",
                InvoicePdf.amountDue(invoice.invoice()), InvoicePdf.amount(InvoicePdf.freeGrant(invoice.invoice())));
        assertThat(InvoicePdf.amountDue(invoice.invoice())).isEqualTo("19.29 EUR");
    }

    @Test
    void an_invoice_with_no_lines_still_renders_and_says_so() throws Exception {
        Invoice empty = new Invoice("globex", Fixtures.JANUARY, "EUR", List.of(), BigDecimal.ZERO,
                new BigDecimal("0.00"));
        String text = text(InvoicePdf.render(new FinalInvoice(UUID.randomUUID(), "globex", 1, empty,
                Fixtures.JANUARY.end(), Map.of())));

        assertThat(text).contains("NF-globex-00001", "Nothing ran in this period", "0.00 EUR");
    }

    @Test
    void amounts_are_shown_to_six_decimals_half_even_and_file_names_keep_only_safe_characters() {
        assertThat(InvoicePdf.amount(new BigDecimal("1.2345675"))).isEqualTo("1.234568");
        assertThat(InvoicePdf.amount(new BigDecimal("1.2345665"))).isEqualTo("1.234566");
        assertThat(InvoicePdf.amount(new BigDecimal("3"))).isEqualTo("3.000000");
        assertThat(InvoicePdf.fileName(invoice, "pdf")).isEqualTo("NF-acme-00007.pdf");
    }
}
