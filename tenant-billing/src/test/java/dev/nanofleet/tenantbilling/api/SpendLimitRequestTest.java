package dev.nanofleet.tenantbilling.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpendLimitRequestTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static SpendLimitRequest.Parsed parse(String json) throws Exception {
        JsonNode tree = JSON.reader().with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .with(JsonNodeFactory.withExactBigDecimals(true)).readTree(json);
        return SpendLimitRequest.parse(tree);
    }

    private static List<String> fields(String json) throws Exception {
        return parse(json).errors().stream().map(FieldError::field).toList();
    }

    @Test
    void an_amount_may_be_a_number_or_a_string_and_is_read_exactly() throws Exception {
        assertThat(parse("{\"amount\": 49.99}").request().amount()).isEqualTo(new BigDecimal("49.99"));
        assertThat(parse("{\"amount\": \" 1000000.00 \"}").request().amount()).isEqualByComparingTo("1000000");
        assertThat(parse("{\"amount\": 0.01}").request()).isEqualTo(new SpendLimitRequest(new BigDecimal("0.01"),
                null, true));
        assertThat(parse("{\"amount\": 5.10000}").errors()).isEmpty();
    }

    @Test
    void an_amount_that_is_missing_not_positive_too_large_or_finer_than_cents_is_refused() throws Exception {
        for (String amount : new String[]{"null", "0", "-1", "1000000.01", "0.001", "\"\"", "\"1,5\"", "true",
                "[1]", "\"NaN\"", "999999.999999999999999999"}) {
            assertThat(fields("{\"amount\": " + amount + "}")).as(amount).containsExactly("amount");
        }
        assertThat(fields("{}")).containsExactly("amount");
    }

    @Test
    void thresholds_are_whole_ascending_unique_percentages_at_most_ten() throws Exception {
        assertThat(parse("{\"amount\": 10, \"alertThresholds\": [1, 50, 100]}").request().alertThresholds())
                .containsExactly(1, 50, 100);
        assertThat(parse("{\"amount\": 10, \"alertThresholds\": []}").request().alertThresholds()).isEmpty();
        assertThat(fields("{\"amount\": 10, \"alertThresholds\": [50, 40]}")).containsExactly("alertThresholds[1]");
        assertThat(fields("{\"amount\": 10, \"alertThresholds\": [0, 101, 7.5, \"9\", null]}")).containsExactly(
                "alertThresholds[0]", "alertThresholds[1]", "alertThresholds[2]", "alertThresholds[3]",
                "alertThresholds[4]");
        assertThat(fields("{\"amount\": 10, \"alertThresholds\": [1,2,3,4,5,6,7,8,9,10,11]}"))
                .containsExactly("alertThresholds");
        assertThat(fields("{\"amount\": 10, \"alertThresholds\": {}}")).containsExactly("alertThresholds");
    }

    @Test
    void hard_defaults_to_true_and_must_be_a_boolean() throws Exception {
        assertThat(parse("{\"amount\": 10, \"hard\": false}").request().hard()).isFalse();
        assertThat(parse("{\"amount\": 10, \"hard\": null}").request().hard()).isTrue();
        assertThat(fields("{\"amount\": 10, \"hard\": \"false\"}")).containsExactly("hard");
    }

    @Test
    void every_bad_field_is_named_at_once_and_a_body_that_is_no_object_is_refused() throws Exception {
        assertThat(fields("{\"amount\": -1, \"alertThresholds\": [200], \"hard\": 1}")).containsExactly("amount",
                "alertThresholds[0]", "hard");
        assertThat(fields("[]")).containsExactly("");
    }
}
