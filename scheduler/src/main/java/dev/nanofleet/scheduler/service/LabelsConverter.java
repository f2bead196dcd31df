package dev.nanofleet.scheduler.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.nanofleet.events.EventCodec;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.util.Map;
import java.util.TreeMap;

/** Stores labels as a JSON object with sorted keys, so equal label sets compare equal and do not look dirty. */
@Converter
class LabelsConverter implements AttributeConverter<Map<String, String>, String> {

    private static final TypeReference<TreeMap<String, String>> TYPE = new TypeReference<>() {
    };

    @Override
    public String convertToDatabaseColumn(Map<String, String> labels) {
        try {
            return EventCodec.mapper().writeValueAsString(new TreeMap<>(labels == null ? Map.of() : labels));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("labels are not serializable", e);
        }
    }

    @Override
    public Map<String, String> convertToEntityAttribute(String column) {
        if (column == null || column.isBlank()) {
            return Map.of();
        }
        try {
            return Map.copyOf(EventCodec.mapper().readValue(column, TYPE));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored labels are not a JSON object of strings: " + column, e);
        }
    }
}
