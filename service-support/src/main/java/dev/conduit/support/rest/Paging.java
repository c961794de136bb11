package dev.conduit.support.rest;

import dev.conduit.support.error.ApiException;

/**
 * {@code limit} and {@code offset} of list requests: whole numbers, limit 0 to the configured
 * maximum (0 gives an empty page with the total), offset 0 or more (past the end gives an empty
 * page). Anything else is a 422 that says so, never a silently different page. Article lists and
 * comment lists page the same way.
 */
public record Paging(int offset, int limit) {

    public static Paging parse(String offset, String limit, int defaultLimit, int maxLimit) {
        int l = number("limit", limit, defaultLimit);
        int o = number("offset", offset, 0);
        if (l < 0 || l > maxLimit) {
            throw ApiException.invalid("limit must be between 0 and " + maxLimit);
        }
        if (o < 0) {
            throw ApiException.invalid("offset must be 0 or more");
        }
        return new Paging(o, l);
    }

    private static int number(String name, String value, int fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw ApiException.invalid(name + " must be a whole number");
        }
    }
}
