package dev.conduit.support.error;

import java.util.List;
import java.util.Map;

/** The RealWorld error body: {@code {"errors":{"body":["..."]}}}. */
public record ErrorEnvelope(Map<String, List<String>> errors) {

    public static ErrorEnvelope of(List<String> messages) {
        return new ErrorEnvelope(Map.of("body", List.copyOf(messages)));
    }

    public static ErrorEnvelope of(String message) {
        return of(List.of(message));
    }
}
