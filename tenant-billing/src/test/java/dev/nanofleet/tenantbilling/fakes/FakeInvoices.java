package dev.nanofleet.tenantbilling.fakes;

import dev.nanofleet.tenantbilling.invoice.FinalInvoice;
import dev.nanofleet.tenantbilling.invoice.Invoices;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** Final invoices in memory, kept apart by tenant as the real store does: a foreign id is not found. */
@Alternative
@ApplicationScoped
public class FakeInvoices implements Invoices {

    private final Map<UUID, FinalInvoice> byId = new ConcurrentHashMap<>();

    public void store(FinalInvoice invoice) {
        byId.put(invoice.id(), invoice);
    }

    public void clear() {
        byId.clear();
    }

    @Override
    public List<FinalInvoice> list(String tenant) {
        return byId.values().stream().filter(i -> i.tenant().equals(tenant))
                .sorted(Comparator.comparingLong(FinalInvoice::number).reversed()).toList();
    }

    @Override
    public Optional<FinalInvoice> find(String tenant, UUID id) {
        return Optional.ofNullable(byId.get(id)).filter(i -> i.tenant().equals(tenant));
    }
}
