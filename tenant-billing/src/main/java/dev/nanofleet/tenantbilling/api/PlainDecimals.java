package dev.nanofleet.tenantbilling.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * Money and quantities leave as JSON numbers written from their BigDecimal with {@code toPlainString}: exact, never
 * through a double, and never in exponent form ({@code 0E-10}, {@code 1.2E+3}) that some clients read as floats.
 */
@Singleton
public class PlainDecimals implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
    }
}
