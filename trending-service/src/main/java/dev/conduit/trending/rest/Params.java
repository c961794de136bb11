package dev.conduit.trending.rest;

/** Query parameters: whole numbers in range, else 422. */
final class Params {

    private Params() {
    }

    static int integer(String name, String value, int defaultValue, int min, int max) {
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.invalid(name + " must be a whole number from " + min + " to " + max);
    }

    static long longValue(String name, String value) {
        try {
            long parsed = Long.parseLong(value.trim());
            if (parsed >= 0) {
                return parsed;
            }
        } catch (RuntimeException e) {
            // answered below
        }
        throw ApiException.invalid(name + " must be a whole number >= 0");
    }
}
