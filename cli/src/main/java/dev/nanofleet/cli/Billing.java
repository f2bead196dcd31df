package dev.nanofleet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * How the billing commands (usage, invoices, spend-limit) and the spend hold in whoami and quota show money and
 * periods. Amounts come as exact decimals (JSON numbers from tenant-billing, decimal strings from control-api) and are
 * printed as given, never through a double.
 */
final class Billing {

    private Billing() {
    }

    /** {@code 12.50 EUR}, or null when the amount is absent; the amount exactly as the API wrote it. */
    static String money(JsonNode node, String field, String currency) {
        String amount = Renderer.text(node, field);
        if (amount == null) {
            return null;
        }
        return currency == null ? amount : amount + " " + currency;
    }

    /**
     * A half-open period {@code {start, end}} as {@code start/end} (ISO 8601's interval, end excluded), with days alone
     * when both are midnight UTC: {@code 2026-02-01/2026-03-01}.
     */
    static String period(JsonNode period) {
        String start = Renderer.text(period, "start");
        String end = Renderer.text(period, "end");
        if (start == null && end == null) {
            return null;
        }
        return day(start) + "/" + day(end);
    }

    private static String day(String instant) {
        if (instant == null) {
            return "?";
        }
        try {
            Instant i = Instant.parse(instant);
            return i.atOffset(ZoneOffset.UTC).toLocalTime().equals(LocalTime.MIDNIGHT)
                    ? i.atOffset(ZoneOffset.UTC).toLocalDate().toString()
                    : instant;
        } catch (DateTimeParseException e) {
            return instant;
        }
    }

    /** Percentages as {@code 75%, 90%, 100%}; null for an empty or absent list. */
    static String percentages(JsonNode array) {
        if (!array.isArray() || array.isEmpty()) {
            return null;
        }
        StringBuilder text = new StringBuilder();
        array.forEach(p -> text.append(text.isEmpty() ? "" : ", ").append(Renderer.value(p)).append('%'));
        return text.toString();
    }

    /**
     * The line whoami and quota print while the tenant's hard spend limit holds it ({@code spendHold} in control-api's
     * {@code /v1/me} and tenant usage), or null when it is not held.
     */
    static String spendHold(JsonNode owner) {
        JsonNode hold = owner.path("spendHold");
        if (!hold.isObject()) {
            return null;
        }
        return "Spend limit reached: " + Renderer.text(hold, "spend") + " of " + Renderer.text(hold, "limit") + " "
                + Renderer.text(hold, "currency") + " since " + Renderer.text(hold, "since")
                + "; deployments are stopped";
    }
}
