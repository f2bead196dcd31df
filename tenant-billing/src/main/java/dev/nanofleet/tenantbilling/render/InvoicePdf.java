package dev.nanofleet.tenantbilling.render;

import com.lowagie.text.Chunk;
import com.lowagie.text.Document;
import com.lowagie.text.DocumentException;
import com.lowagie.text.Element;
import com.lowagie.text.Font;
import com.lowagie.text.FontFactory;
import com.lowagie.text.PageSize;
import com.lowagie.text.Paragraph;
import com.lowagie.text.Phrase;
import com.lowagie.text.Rectangle;
import com.lowagie.text.pdf.PdfPCell;
import com.lowagie.text.pdf.PdfPTable;
import com.lowagie.text.pdf.PdfWriter;
import dev.nanofleet.tenantbilling.invoice.FinalInvoice;
import dev.nanofleet.tenantbilling.rating.Invoice;
import dev.nanofleet.tenantbilling.rating.LineItem;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * An invoice as a PDF a person files: the seller, the tenant billed, number, period and issue date, the lines grouped
 * by deployment with quantities, unit prices and amounts, then the total, the free grant and the amount due, with the
 * rounding rule in a footnote. Amounts are shown to 6 decimals; unit prices and quantities in full.
 */
public final class InvoicePdf {

    public static final String MEDIA_TYPE = "application/pdf";
    public static final String SELLER = "Nanofleet";
    static final int AMOUNT_DECIMALS = 6;

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneOffset.UTC);
    private static final Font TITLE = FontFactory.getFont(FontFactory.HELVETICA_BOLD, 18);
    private static final Font HEADING = FontFactory.getFont(FontFactory.HELVETICA_BOLD, 10);
    private static final Font TEXT = FontFactory.getFont(FontFactory.HELVETICA, 9);
    private static final Font BOLD = FontFactory.getFont(FontFactory.HELVETICA_BOLD, 9);
    private static final Font SMALL = FontFactory.getFont(FontFactory.HELVETICA, 7);
    private static final Font DUE = FontFactory.getFont(FontFactory.HELVETICA_BOLD, 11);
    private static final Color GROUP_BACKGROUND = new Color(235, 238, 242);
    private static final String[] COLUMNS = {"Item", "Mode", "Price version", "Quantity", "Unit", "Unit price",
            "Amount"};
    private static final float[] WIDTHS = {30, 9, 11, 14, 7, 13, 16};

    private InvoicePdf() {
    }

    public static byte[] render(FinalInvoice stored) {
        Invoice invoice = stored.invoice();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Document document = new Document(PageSize.A4, 40, 40, 48, 48);
        try {
            PdfWriter.getInstance(document, out);
            document.addTitle("Invoice " + stored.displayNumber());
            document.addAuthor(SELLER);
            document.addCreator(SELLER + " tenant-billing");
            document.open();
            document.add(header(stored));
            document.add(lines(stored));
            document.add(totals(invoice));
            document.add(footnote(invoice));
        } catch (DocumentException e) {
            throw new IllegalStateException("cannot lay out invoice " + stored.displayNumber(), e);
        } finally {
            if (document.isOpen()) {
                document.close();
            }
        }
        return out.toByteArray();
    }

    /** An amount as the PDF shows it: to 6 decimals, half-even (the exact value is in the JSON and CSV). */
    public static String amount(BigDecimal value) {
        return value.setScale(AMOUNT_DECIMALS, RoundingMode.HALF_EVEN).toPlainString();
    }

    /** The amount due as the PDF shows it: cents and the currency. */
    public static String amountDue(Invoice invoice) {
        return invoice.amountDue().setScale(2, RoundingMode.HALF_EVEN).toPlainString() + " " + invoice.currency();
    }

    /** The sum of the free grant's lines (zero or negative). */
    public static BigDecimal freeGrant(Invoice invoice) {
        return invoice.lines().stream().filter(l -> l.kind() == LineItem.Kind.FREE_GRANT).map(LineItem::amount)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    private static Element header(FinalInvoice stored) {
        Invoice invoice = stored.invoice();
        PdfPTable table = new PdfPTable(new float[]{55, 45});
        table.setWidthPercentage(100);
        PdfPCell seller = borderless();
        seller.addElement(new Paragraph(SELLER, TITLE));
        seller.addElement(new Paragraph("Multi-tenant container hosting, billed per second", TEXT));
        seller.addElement(new Paragraph(" ", TEXT));
        seller.addElement(new Paragraph("Billed to", HEADING));
        seller.addElement(new Paragraph("Tenant " + stored.tenant(), TEXT));
        table.addCell(seller);

        PdfPCell details = borderless();
        details.addElement(new Paragraph("INVOICE", TITLE));
        details.addElement(labelled("Invoice number", stored.displayNumber()));
        details.addElement(labelled("Issue date", DATE.format(stored.finalizedAt())));
        details.addElement(labelled("Period", TIME.format(invoice.period().start()) + " to "
                + TIME.format(invoice.period().end()) + " UTC"));
        details.addElement(labelled("Currency", invoice.currency()));
        table.addCell(details);
        table.setSpacingAfter(16);
        return table;
    }

    private static Paragraph labelled(String label, String value) {
        Paragraph paragraph = new Paragraph();
        paragraph.add(new Chunk(label + ": ", BOLD));
        paragraph.add(new Chunk(value, TEXT));
        return paragraph;
    }

    private static Element lines(FinalInvoice stored) {
        PdfPTable table = new PdfPTable(WIDTHS);
        table.setWidthPercentage(100);
        table.setHeaderRows(1); // repeated on every page the lines run over
        for (int i = 0; i < COLUMNS.length; i++) {
            PdfPCell cell = new PdfPCell(new Phrase(COLUMNS[i], BOLD));
            cell.setHorizontalAlignment(i >= 3 && i != 4 ? Element.ALIGN_RIGHT : Element.ALIGN_LEFT);
            cell.setBorder(Rectangle.BOTTOM);
            cell.setPaddingBottom(4);
            table.addCell(cell);
        }
        for (Group group : groups(stored)) {
            PdfPCell title = new PdfPCell(new Phrase(group.title(), BOLD));
            title.setColspan(COLUMNS.length);
            title.setBackgroundColor(GROUP_BACKGROUND);
            title.setBorder(Rectangle.NO_BORDER);
            title.setPadding(4);
            table.addCell(title);
            BigDecimal subtotal = BigDecimal.ZERO;
            for (LineItem line : group.lines()) {
                table.addCell(cell(item(line), Element.ALIGN_LEFT));
                table.addCell(cell(line.isolation().name().toLowerCase(java.util.Locale.ROOT), Element.ALIGN_LEFT));
                table.addCell(cell(line.priceVersion(), Element.ALIGN_LEFT));
                table.addCell(cell(plain(line.quantity()), Element.ALIGN_RIGHT));
                table.addCell(cell(line.resource().unit(), Element.ALIGN_LEFT));
                table.addCell(cell(plain(line.unitPrice()), Element.ALIGN_RIGHT));
                table.addCell(cell(amount(line.amount()), Element.ALIGN_RIGHT));
                subtotal = subtotal.add(line.amount());
            }
            PdfPCell label = new PdfPCell(new Phrase("Subtotal", BOLD));
            label.setColspan(COLUMNS.length - 1);
            label.setHorizontalAlignment(Element.ALIGN_RIGHT);
            label.setBorder(Rectangle.NO_BORDER);
            table.addCell(label);
            PdfPCell value = new PdfPCell(new Phrase(amount(subtotal), BOLD));
            value.setHorizontalAlignment(Element.ALIGN_RIGHT);
            value.setBorder(Rectangle.TOP);
            table.addCell(value);
        }
        if (stored.invoice().lines().isEmpty()) {
            PdfPCell none = new PdfPCell(new Phrase("Nothing ran in this period.", TEXT));
            none.setColspan(COLUMNS.length);
            none.setBorder(Rectangle.NO_BORDER);
            table.addCell(none);
        }
        table.setSpacingAfter(12);
        return table;
    }

    private record Group(String title, List<LineItem> lines) {
    }

    /**
     * Usage and adjustments by deployment, in the invoice's order (first appearance), then the free grant on its own:
     * it is a credit against the whole invoice, not a deployment's cost.
     */
    private static List<Group> groups(FinalInvoice stored) {
        Map<UUID, List<LineItem>> byDeployment = new LinkedHashMap<>();
        List<LineItem> grant = new ArrayList<>();
        List<LineItem> other = new ArrayList<>();
        for (LineItem line : stored.invoice().lines()) {
            if (line.kind() == LineItem.Kind.FREE_GRANT) {
                grant.add(line);
            } else if (line.deploymentId() == null) {
                other.add(line);
            } else {
                byDeployment.computeIfAbsent(line.deploymentId(), id -> new ArrayList<>()).add(line);
            }
        }
        List<Group> groups = new ArrayList<>();
        byDeployment.forEach((id, lines) -> {
            String name = stored.deploymentNames().get(id);
            groups.add(new Group("Deployment " + (name == null ? "" : name + " ") + "(" + id + ")", lines));
        });
        if (!other.isEmpty()) {
            groups.add(new Group("Other", other));
        }
        if (!grant.isEmpty()) {
            groups.add(new Group("Free grant", grant));
        }
        return groups;
    }

    private static String item(LineItem line) {
        String resource = line.resource() == dev.nanofleet.tenantbilling.rating.Resource.VCPU ? "vCPU" : "Memory";
        String kind = switch (line.kind()) {
            case USAGE -> resource;
            case ADJUSTMENT -> resource + ", adjustment";
            case FREE_GRANT -> resource + ", free grant";
        };
        if (line.from() == null || line.to() == null) {
            return kind;
        }
        return kind + "\n" + TIME.format(line.from()) + " to " + TIME.format(line.to());
    }

    private static Element totals(Invoice invoice) {
        BigDecimal grant = freeGrant(invoice);
        PdfPTable table = new PdfPTable(new float[]{70, 30});
        table.setWidthPercentage(60);
        table.setHorizontalAlignment(Element.ALIGN_RIGHT);
        total(table, "Usage and adjustments", amount(invoice.total().subtract(grant)) + " " + invoice.currency(),
                TEXT);
        total(table, "Free grant", amount(grant) + " " + invoice.currency(), TEXT);
        total(table, "Total", amount(invoice.total()) + " " + invoice.currency(), BOLD);
        total(table, invoice.amountDue().signum() < 0 ? "Amount due (credit)" : "Amount due", amountDue(invoice),
                DUE);
        table.setSpacingAfter(18);
        return table;
    }

    private static void total(PdfPTable table, String label, String value, Font font) {
        PdfPCell name = new PdfPCell(new Phrase(label, font));
        name.setBorder(Rectangle.NO_BORDER);
        name.setHorizontalAlignment(Element.ALIGN_RIGHT);
        table.addCell(name);
        PdfPCell amount = new PdfPCell(new Phrase(value, font));
        amount.setBorder(Rectangle.NO_BORDER);
        amount.setHorizontalAlignment(Element.ALIGN_RIGHT);
        table.addCell(amount);
    }

    private static Element footnote(Invoice invoice) {
        Paragraph note = new Paragraph(
                "Each line's amount is its quantity times its unit price, exact; amounts are shown"
                        + " here rounded half-even to " + AMOUNT_DECIMALS
                        + " decimals, and the total is the sum of the exact"
                        + " amounts. The amount due is the total rounded half-even (banker's rounding) to the cent of "
                        + invoice.currency()
                        + "; a negative amount due is a credit. Quantities are in vCPU-seconds (vCPU-s)"
                        + " and GiB-seconds (GiB-s) reserved; times are UTC and a span includes its start, not its end.",
                SMALL);
        note.setSpacingBefore(6);
        return note;
    }

    private static PdfPCell cell(String text, int alignment) {
        PdfPCell cell = new PdfPCell(new Phrase(Objects.requireNonNullElse(text, ""), TEXT));
        cell.setHorizontalAlignment(alignment);
        cell.setBorder(Rectangle.NO_BORDER);
        cell.setPaddingBottom(3);
        return cell;
    }

    private static PdfPCell borderless() {
        PdfPCell cell = new PdfPCell();
        cell.setBorder(Rectangle.NO_BORDER);
        return cell;
    }

    private static String plain(BigDecimal value) {
        return value.signum() == 0 ? "0" : value.stripTrailingZeros().toPlainString();
    }

    /** A file name for the download: the display number with anything but letters, digits, '.', '-' and '_' dropped. */
    public static String fileName(FinalInvoice stored, String extension) {
        return stored.displayNumber().replaceAll("[^A-Za-z0-9._-]", "_") + "." + extension;
    }
}
