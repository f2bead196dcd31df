package dev.nanofleet.tenantbilling.usage;

/** The current period's usage and forecast for one tenant. Thread-safe. */
public interface Usage {

    UsageReport report(String tenant);

    Forecast forecast(String tenant);
}
