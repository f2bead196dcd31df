package dev.nanofleet.tenantbilling.api;

import dev.nanofleet.tenantbilling.invoice.FinalInvoice;
import dev.nanofleet.tenantbilling.invoice.Invoices;
import dev.nanofleet.tenantbilling.render.InvoiceCsv;
import dev.nanofleet.tenantbilling.render.InvoicePdf;
import dev.nanofleet.tenantbilling.security.BillingCaller;
import dev.nanofleet.tenantbilling.security.Scope;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The caller's tenant's final invoices, as JSON, CSV or PDF. Another tenant's invoice, an unknown id and a path that is
 * no id at all are the same 404, as in control-api: a tenant cannot learn which invoice ids exist.
 */
@Path("/v1/invoices")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "invoices", description = "A tenant's final invoices, as JSON, CSV and PDF")
public class InvoiceResource {

    static final String CSV_UTF8 = InvoiceCsv.MEDIA_TYPE + "; charset=UTF-8";

    private final Invoices invoices;
    private final BillingCaller caller;

    InvoiceResource(Invoices invoices, BillingCaller caller) {
        this.invoices = invoices;
        this.caller = caller;
    }

    @GET
    @Operation(operationId = "listInvoices", summary = "The tenant's final invoices, newest first")
    @APIResponse(responseCode = "200", description = "the invoices", content = @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = InvoiceView.Summary.class)))
    public List<InvoiceView.Summary> list() {
        return invoices.list(caller.tenant(Scope.READ).tenant()).stream().map(InvoiceView.Summary::of).toList();
    }

    @GET
    @Path("{id}")
    @Produces({MediaType.APPLICATION_JSON, InvoiceCsv.MEDIA_TYPE})
    @Operation(operationId = "getInvoice", summary = "One invoice with its lines; as CSV when the request accepts text/csv before JSON")
    @APIResponse(responseCode = "200", description = "the invoice", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = InvoiceView.class)),
            @Content(mediaType = InvoiceCsv.MEDIA_TYPE, schema = @Schema(type = SchemaType.STRING))})
    @APIResponse(responseCode = "404", description = "no such invoice in this tenant", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response get(
            @PathParam("id") @Parameter(description = "the invoice's id", schema = @Schema(type = SchemaType.STRING, format = "uuid")) String id,
            HttpHeaders headers) {
        FinalInvoice invoice = find(id);
        if (prefersCsv(headers)) {
            return Response.ok(InvoiceCsv.render(invoice), CSV_UTF8).build();
        }
        return Response.ok(InvoiceView.of(invoice), MediaType.APPLICATION_JSON).build();
    }

    @GET
    @Path("{id}.csv")
    @Produces(InvoiceCsv.MEDIA_TYPE)
    @Operation(operationId = "getInvoiceCsv", summary = "One invoice's lines as CSV (RFC 4180, header row, exact decimals)")
    @APIResponse(responseCode = "200", description = "the lines", headers = @Header(name = "Content-Disposition", description = "attachment; filename=\"<display number>.csv\"", schema = @Schema(type = SchemaType.STRING)), content = @Content(mediaType = InvoiceCsv.MEDIA_TYPE, schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "404", description = "no such invoice in this tenant", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response csv(
            @PathParam("id") @Parameter(description = "the invoice's id", schema = @Schema(type = SchemaType.STRING, format = "uuid")) String id) {
        FinalInvoice invoice = find(id);
        return Response.ok(InvoiceCsv.render(invoice), CSV_UTF8)
                .header("Content-Disposition", attachment(invoice, "csv"))
                .build();
    }

    @GET
    @Path("{id}.pdf")
    @Produces(InvoicePdf.MEDIA_TYPE)
    @Operation(operationId = "getInvoicePdf", summary = "One invoice as a PDF document")
    @APIResponse(responseCode = "200", description = "the document", headers = @Header(name = "Content-Disposition", description = "attachment; filename=\"<display number>.pdf\"", schema = @Schema(type = SchemaType.STRING)), content = @Content(mediaType = InvoicePdf.MEDIA_TYPE, schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @APIResponse(responseCode = "404", description = "no such invoice in this tenant", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response pdf(
            @PathParam("id") @Parameter(description = "the invoice's id", schema = @Schema(type = SchemaType.STRING, format = "uuid")) String id) {
        FinalInvoice invoice = find(id);
        return Response.ok(InvoicePdf.render(invoice), InvoicePdf.MEDIA_TYPE)
                .header("Content-Disposition", attachment(invoice, "pdf")).build();
    }

    private FinalInvoice find(String id) {
        String tenant = caller.tenant(Scope.READ).tenant();
        return Ids.parse(id).flatMap(uuid -> invoices.find(tenant, uuid))
                .orElseThrow(() -> ProblemException.notFound("invoice " + id));
    }

    private static String attachment(FinalInvoice invoice, String extension) {
        return "attachment; filename=\"" + InvoicePdf.fileName(invoice, extension) + "\"";
    }

    /** CSV only when the client names text/csv before anything JSON would satisfy (a bare {@code *}/{@code *} is JSON). */
    static boolean prefersCsv(HttpHeaders headers) {
        for (MediaType accepted : headers.getAcceptableMediaTypes()) {
            if (!accepted.isWildcardType() && !accepted.isWildcardSubtype()
                    && accepted.isCompatible(MediaType.valueOf(InvoiceCsv.MEDIA_TYPE))) {
                return true;
            }
            if (accepted.isCompatible(MediaType.APPLICATION_JSON_TYPE)) {
                return false;
            }
        }
        return false;
    }
}
