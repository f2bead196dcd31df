package dev.nanofleet.tenantbilling.limit;

import static dev.nanofleet.tenantbilling.service.Jdbc.at;
import static dev.nanofleet.tenantbilling.service.Jdbc.decimal;
import static dev.nanofleet.tenantbilling.service.Jdbc.instant;

import dev.nanofleet.tenantbilling.service.Jdbc;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** The one owner of spend limits, the alerts sent and the holds in force. */
@ApplicationScoped
public class SpendLimitStore {

    /** A tenant stopped by its hard limit in the period that began at {@code periodStart}. */
    public record Hold(String tenant, Instant periodStart, Instant since, BigDecimal limit, BigDecimal spend) {
    }

    private final Jdbc jdbc;

    SpendLimitStore(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    public Optional<SpendLimit> limit(String tenant) {
        List<SpendLimit> found = new ArrayList<>();
        jdbc.query("SELECT tenant, amount, currency, thresholds, hard, updated_at FROM spend_limit WHERE tenant = ?",
                select -> select.setString(1, tenant),
                row -> found.add(new SpendLimit(row.getString("tenant"), decimal(row, "amount"),
                        row.getString("currency"), Arrays.asList((Integer[]) row.getArray("thresholds").getArray()),
                        row.getBoolean("hard"), instant(row, "updated_at"))));
        return found.stream().findFirst();
    }

    public void put(SpendLimit limit, String actor) {
        jdbc.update("""
                INSERT INTO spend_limit (tenant, amount, currency, thresholds, hard, updated_at, updated_by)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (tenant) DO UPDATE SET amount = excluded.amount, currency = excluded.currency,
                    thresholds = excluded.thresholds, hard = excluded.hard, updated_at = excluded.updated_at,
                    updated_by = excluded.updated_by""", insert -> {
            insert.setString(1, limit.tenant());
            insert.setBigDecimal(2, limit.amount());
            insert.setString(3, limit.currency());
            insert.setArray(4, insert.getConnection().createArrayOf("integer", limit.alertThresholds().toArray()));
            insert.setBoolean(5, limit.hard());
            insert.setTimestamp(6, at(limit.updatedAt()));
            insert.setString(7, actor);
        });
    }

    public void remove(String tenant) {
        jdbc.update("DELETE FROM spend_limit WHERE tenant = ?", delete -> delete.setString(1, tenant));
    }

    /** Tenants the monitor watches: those with a limit or a hold. */
    public List<String> watchedTenants() {
        List<String> tenants = new ArrayList<>();
        jdbc.query("SELECT tenant FROM spend_limit UNION SELECT tenant FROM spend_hold ORDER BY 1", select -> {
        }, row -> tenants.add(row.getString(1)));
        return tenants;
    }

    public List<Integer> alertsSent(String tenant, Instant periodStart) {
        List<Integer> sent = new ArrayList<>();
        jdbc.query("SELECT threshold FROM spend_alert WHERE tenant = ? AND period_start = ? ORDER BY threshold",
                select -> {
                    select.setString(1, tenant);
                    select.setTimestamp(2, at(periodStart));
                }, row -> sent.add(row.getInt(1)));
        return sent;
    }

    /** @return false when this threshold was announced already this period */
    public boolean recordAlert(String tenant, Instant periodStart, int threshold, BigDecimal spend, Instant now) {
        return jdbc.update("""
                INSERT INTO spend_alert (tenant, period_start, threshold, spend, sent_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT DO NOTHING""", insert -> {
            insert.setString(1, tenant);
            insert.setTimestamp(2, at(periodStart));
            insert.setInt(3, threshold);
            insert.setBigDecimal(4, spend);
            insert.setTimestamp(5, at(now));
        }) == 1;
    }

    public Optional<Hold> hold(String tenant) {
        List<Hold> found = new ArrayList<>();
        jdbc.query("SELECT tenant, period_start, since, limit_amount, spend FROM spend_hold WHERE tenant = ?",
                select -> select.setString(1, tenant),
                row -> found.add(new Hold(row.getString("tenant"), instant(row, "period_start"),
                        instant(row, "since"), decimal(row, "limit_amount"), decimal(row, "spend"))));
        return found.stream().findFirst();
    }

    /** @return false when the tenant was held already */
    public boolean hold(Hold hold) {
        return jdbc.update("""
                INSERT INTO spend_hold (tenant, period_start, since, limit_amount, spend) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT DO NOTHING""", insert -> {
            insert.setString(1, hold.tenant());
            insert.setTimestamp(2, at(hold.periodStart()));
            insert.setTimestamp(3, at(hold.since()));
            insert.setBigDecimal(4, hold.limit());
            insert.setBigDecimal(5, hold.spend());
        }) == 1;
    }

    /** @return false when the tenant was not held */
    public boolean release(String tenant) {
        return jdbc.update("DELETE FROM spend_hold WHERE tenant = ?", delete -> delete.setString(1, tenant)) == 1;
    }
}
