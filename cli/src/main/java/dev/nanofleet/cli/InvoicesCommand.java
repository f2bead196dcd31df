package dev.nanofleet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "invoices", mixinStandardHelpOptions = true, description = {
        "Your tenant's final invoices (tenant-billing), newest first: number, period, total, amount due, when "
                + "finalized.",
        "show ID: one invoice's lines and totals; download ID --pdf|--csv: the document."}, subcommands = {
                InvoicesCommand.Show.class, InvoicesCommand.Download.class}, footer = {"", "Examples:",
                        "  nanofleet invoices", "  nanofleet invoices show 5b2e7c1a-...",
                        "  nanofleet invoices download 5b2e7c1a-... --pdf",
                        "  nanofleet invoices download 5b2e7c1a-... --csv -o january.csv"})
final class InvoicesCommand implements Callable<Integer> {

    @Mixin
    GlobalOptions global;

    private final CliContext ctx;

    InvoicesCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        JsonNode invoices = global.billing(ctx).get("/v1/invoices");
        Renderer r = global.renderer(ctx);
        r.render(invoices, () -> {
            List<List<String>> rows = new ArrayList<>();
            for (JsonNode i : invoices) {
                String currency = Renderer.text(i, "currency");
                rows.add(Arrays.asList(Renderer.text(i, "displayNumber"), Renderer.text(i, "id"),
                        Billing.period(i.path("period")), Billing.money(i, "total", currency),
                        Billing.money(i, "amountDue", currency), Renderer.text(i, "finalizedAt")));
            }
            r.table(List.of("NUMBER", "ID", "PERIOD", "TOTAL", "AMOUNT DUE", "FINALIZED"), rows);
        });
        return ExitCodes.OK;
    }

    static String path(String id) {
        return "/v1/invoices/" + ApiClient.segment(id);
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show an invoice: its header, its lines (usage, adjustments, the free grant) and its totals.", footer = {
            "", "Examples:", "  nanofleet invoices show 5b2e7c1a-...",
            "  nanofleet invoices show 5b2e7c1a-... --json"})
    static final class Show implements Callable<Integer> {

        @Mixin
        GlobalOptions global;

        @Parameters(paramLabel = "ID")
        String id;

        private final CliContext ctx;

        Show(CliContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            JsonNode invoice = global.billing(ctx).get(path(id));
            Renderer r = global.renderer(ctx);
            r.render(invoice, () -> print(r, invoice));
            return ExitCodes.OK;
        }

        static void print(Renderer r, JsonNode invoice) {
            String currency = Renderer.text(invoice, "currency");
            Map<String, String> header = new LinkedHashMap<>();
            header.put("number", Renderer.text(invoice, "displayNumber"));
            header.put("id", Renderer.text(invoice, "id"));
            header.put("tenant", Renderer.text(invoice, "tenant"));
            header.put("period", Billing.period(invoice.path("period")));
            header.put("finalized", Renderer.text(invoice, "finalizedAt"));
            r.fields(header);
            r.line("");
            List<List<String>> rows = new ArrayList<>();
            for (JsonNode line : invoice.path("lines")) {
                String deployment = Renderer.text(line, "deploymentName");
                rows.add(Arrays.asList(Renderer.text(line, "kind"),
                        deployment != null ? deployment : Renderer.text(line, "deploymentId"),
                        Renderer.text(line, "isolation"), Renderer.text(line, "resource"),
                        Renderer.text(line, "from"), Renderer.text(line, "to"),
                        quantity(line), Renderer.text(line, "unitPrice"), Renderer.text(line, "amount")));
            }
            r.table(List.of("KIND", "DEPLOYMENT", "ISOLATION", "RESOURCE", "FROM", "TO", "QUANTITY", "UNIT PRICE",
                    "AMOUNT"), rows);
            r.line("");
            Map<String, String> totals = new LinkedHashMap<>();
            totals.put("total", Billing.money(invoice, "total", currency));
            totals.put("amount due", Billing.money(invoice, "amountDue", currency));
            r.fields(totals);
        }

        private static String quantity(JsonNode line) {
            String quantity = Renderer.text(line, "quantity");
            String unit = Renderer.text(line, "unit");
            return quantity == null || unit == null ? quantity : quantity + " " + unit;
        }
    }

    @Command(name = "download", mixinStandardHelpOptions = true, description = {
            "Save an invoice as PDF or CSV, byte for byte as tenant-billing made it.",
            "The file is named as the API names it (NF-acme-00001.pdf) unless -o says otherwise; -o DIR saves it "
                    + "there under that name. An existing file is replaced, only once the whole document arrived."}, footer = {
                            "", "Examples:", "  nanofleet invoices download 5b2e7c1a-... --pdf",
                            "  nanofleet invoices download 5b2e7c1a-... --csv -o invoices/"})
    static final class Download implements Callable<Integer> {

        /** A name safe to create in a directory: no separators, no leading dot, nothing a shell would trip on. */
        private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,200}");
        private static final Pattern FILENAME = Pattern.compile("filename\\s*=\\s*(?:\"([^\"]*)\"|([^;\\s]+))",
                Pattern.CASE_INSENSITIVE);

        @Mixin
        GlobalOptions global;

        @Parameters(paramLabel = "ID")
        String id;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Format format;

        static final class Format {
            @Option(names = "--pdf", required = true, description = "The invoice as a PDF document.")
            boolean pdf;

            @Option(names = "--csv", required = true, description = "The invoice's lines as CSV (RFC 4180, exact decimals).")
            boolean csv;
        }

        @Option(names = {"-o",
                "--output"}, paramLabel = "FILE|DIR", description = "Where to save it (default: the API's file name in the current directory).")
        Path output;

        private final CliContext ctx;

        Download(CliContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            String extension = format.pdf ? "pdf" : "csv";
            ApiClient billing = global.billing(ctx);
            Path target = null;
            long bytes;
            try (ApiClient.Download download = billing.download(path(id) + "." + extension,
                    (format.pdf ? "application/pdf" : "text/csv") + ", application/problem+json")) {
                target = target(billing, download.contentDisposition(), extension);
                bytes = save(download, target);
            } catch (IOException e) {
                // reading the body and writing the file fail alike here; either way nothing was saved
                throw new CliException(ExitCodes.API_ERROR, "cannot save invoice " + id
                        + (target == null ? "" : " to " + target) + ": " + ApiClient.describe(e), e);
            }
            if (!global.json) {
                ctx.out().println("Saved invoice " + id + " to " + target + " (" + bytes + " bytes).");
            }
            return ExitCodes.OK;
        }

        private Path target(ApiClient billing, String contentDisposition, String extension) {
            if (output != null && !Files.isDirectory(output)) {
                return output;
            }
            String name = fileName(contentDisposition);
            if (name == null) {
                // the API always names its files; should a proxy drop the header, the invoice's number still does
                String number = Renderer.text(billing.get(path(id)), "displayNumber");
                name = number != null && SAFE_NAME.matcher(number + "." + extension).matches()
                        ? number + "." + extension
                        : "invoice-" + id.replaceAll("[^A-Za-z0-9-]", "") + "." + extension;
            }
            return output != null ? output.resolve(name) : Path.of(name);
        }

        /** The file name a Content-Disposition gives, if it is one that names a plain file here; else null. */
        static String fileName(String contentDisposition) {
            if (contentDisposition == null) {
                return null;
            }
            Matcher m = FILENAME.matcher(contentDisposition);
            if (!m.find()) {
                return null;
            }
            String name = m.group(1) != null ? m.group(1) : m.group(2);
            return SAFE_NAME.matcher(name).matches() ? name : null;
        }

        /**
         * Streams the body to a temporary file next to the target and moves it into place once complete, so a broken
         * download leaves no half file behind and an existing one intact. The bytes are copied as they come: no
         * decoding as text, so a PDF arrives unchanged.
         */
        private long save(ApiClient.Download download, Path target) throws IOException {
            Path dir = target.toAbsolutePath().getParent();
            if (dir == null || !Files.isDirectory(dir)) {
                throw new CliException(ExitCodes.USAGE, "cannot save to " + target + ": no directory " + dir);
            }
            Path part = Files.createTempFile(dir, ".nanofleet-", ".part");
            try {
                long bytes = Files.copy(download.body(), part, StandardCopyOption.REPLACE_EXISTING);
                try {
                    Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
                }
                return bytes;
            } finally {
                Files.deleteIfExists(part);
            }
        }
    }
}
