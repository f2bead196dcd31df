package dev.nanofleet.tenantbilling.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The body of {@code PUT /v1/spend-limit}, read from the JSON tree so that every rule names its field: an amount (a
 * JSON number or a string, read exactly, never through a double), optional alert thresholds, and whether the limit is
 * hard. Pure.
 *
 * @param alertThresholds null for the defaults (75, 90, 100)
 */
@Schema(name = "SpendLimitRequest", description = "a monthly spend limit in the price list's currency")
public record SpendLimitRequest(
        @Schema(required = true, description = "a number (or a string holding one), more than 0, at most 1000000, with at most 2 decimals", example = "50.00") BigDecimal amount,
        @Schema(description = "percentages of amount that send an alert: 1..100, ascending, without repeats, at most 10 (default 75, 90, 100)") List<Integer> alertThresholds,
        @Schema(description = "whether reaching amount stops the tenant's instances and refuses new ones (default true); false only alerts", defaultValue = "true") Boolean hard) {

    public static final BigDecimal MAX_AMOUNT = new BigDecimal("1000000");
    public static final int MAX_THRESHOLDS = 10;

    /** The request, or the errors naming each bad field. */
    public record Parsed(SpendLimitRequest request, List<FieldError> errors) {
    }

    public static Parsed parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            return new Parsed(null, List.of(new FieldError("", "the body must be a JSON object")));
        }
        List<FieldError> errors = new ArrayList<>();
        BigDecimal amount = amount(body.get("amount"), errors);
        List<Integer> thresholds = thresholds(body.get("alertThresholds"), errors);
        boolean hard = true;
        JsonNode hardNode = body.get("hard");
        if (hardNode != null && !hardNode.isNull()) {
            if (hardNode.isBoolean()) {
                hard = hardNode.booleanValue();
            } else {
                errors.add(new FieldError("hard", "must be true or false"));
            }
        }
        return errors.isEmpty()
                ? new Parsed(new SpendLimitRequest(amount, thresholds, hard), List.of())
                : new Parsed(null, errors);
    }

    private static BigDecimal amount(JsonNode node, List<FieldError> errors) {
        if (node == null || node.isNull()) {
            errors.add(new FieldError("amount", "is required"));
            return null;
        }
        BigDecimal amount;
        if (node.isNumber()) {
            amount = node.decimalValue(); // exact: the body is read with decimals as BigDecimal, not double
        } else if (node.isTextual()) {
            try {
                amount = new BigDecimal(node.textValue().trim());
            } catch (NumberFormatException e) {
                errors.add(new FieldError("amount", "'" + node.textValue() + "' is not a decimal number"));
                return null;
            }
        } else {
            errors.add(new FieldError("amount", "must be a decimal number, like 50 or \"50.00\""));
            return null;
        }
        if (amount.signum() <= 0) {
            errors.add(new FieldError("amount", "must be more than 0"));
        } else if (amount.compareTo(MAX_AMOUNT) > 0) {
            errors.add(new FieldError("amount", "must be at most " + MAX_AMOUNT.toPlainString()));
        } else if (amount.stripTrailingZeros().scale() > 2) {
            errors.add(new FieldError("amount", "must have at most 2 decimals"));
        } else {
            return amount;
        }
        return null;
    }

    private static List<Integer> thresholds(JsonNode node, List<FieldError> errors) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isArray()) {
            errors.add(new FieldError("alertThresholds", "must be an array of whole percentages"));
            return null;
        }
        if (node.size() > MAX_THRESHOLDS) {
            errors.add(new FieldError("alertThresholds", "must hold at most " + MAX_THRESHOLDS + " thresholds"));
            return null;
        }
        List<Integer> thresholds = new ArrayList<>();
        int before = errors.size();
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            String field = "alertThresholds[" + i + "]";
            if (!item.isIntegralNumber() || !item.canConvertToInt()) {
                errors.add(new FieldError(field, "must be a whole number from 1 to 100"));
                continue;
            }
            int percent = item.intValue();
            if (percent < 1 || percent > 100) {
                errors.add(new FieldError(field, "must be from 1 to 100"));
            } else if (!thresholds.isEmpty() && percent <= thresholds.getLast()) {
                errors.add(new FieldError(field, "must be more than the threshold before it ("
                        + thresholds.getLast() + "): ascending, without repeats"));
            } else {
                thresholds.add(percent);
            }
        }
        return errors.size() == before ? List.copyOf(thresholds) : null;
    }
}
