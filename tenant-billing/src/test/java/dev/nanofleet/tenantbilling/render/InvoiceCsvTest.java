package dev.nanofleet.tenantbilling.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.tenantbilling.fakes.Fixtures;
import dev.nanofleet.tenantbilling.invoice.FinalInvoice;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class InvoiceCsvTest {

    private final FinalInvoice invoice = Fixtures.invoice(UUID.fromString("a0000000-0000-4000-8000-000000000001"),
            "acme", 7, Fixtures.JANUARY);

    @Test
    void a_field_with_a_comma_quote_or_line_break_is_quoted_with_its_quotes_doubled() {
        assertThat(InvoiceCsv.field("web")).isEqualTo("web");
        assertThat(InvoiceCsv.field("a,b")).isEqualTo("\"a,b\"");
        assertThat(InvoiceCsv.field("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(InvoiceCsv.field("two\nlines")).isEqualTo("\"two\nlines\"");
        assertThat(InvoiceCsv.field("")).isEmpty();
    }

    @Test
    void each_line_is_one_row_with_exact_plain_decimals_and_the_same_bytes_every_time() {
        String csv = InvoiceCsv.render(invoice);

        assertThat(csv).isEqualTo(InvoiceCsv.render(invoice));
        String[] rows = csv.split("\r\n");
        assertThat(rows).hasSize(6);
        assertThat(rows[0]).isEqualTo("invoice,kind,deploymentId,deploymentName,isolation,resource,unit,priceVersion,"
                + "from,to,quantity,unitPrice,amount,currency");
        assertThat(rows[1]).isEqualTo("NF-acme-00007,usage," + Fixtures.WEB + ",web,hardware,vcpu,vCPU-s,2026-01,"
                + "2026-01-01T00:00:00Z,2026-02-01T00:00:00Z,1800000,0.0000125,22.5000000,EUR");
        assertThat(rows[5]).startsWith("NF-acme-00007,free-grant,").contains(",-360000,0.0000125,-4.5000000,");
    }
}
