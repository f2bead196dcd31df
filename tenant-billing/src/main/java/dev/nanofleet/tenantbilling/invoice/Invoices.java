package dev.nanofleet.tenantbilling.invoice;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Reads a tenant's final invoices. Implementations are thread-safe; a foreign tenant's invoice is never returned. */
public interface Invoices {

    /** The tenant's final invoices, newest first. */
    List<FinalInvoice> list(String tenant);

    /** The tenant's invoice with this id; empty when it is another tenant's or does not exist. */
    Optional<FinalInvoice> find(String tenant, UUID id);
}
