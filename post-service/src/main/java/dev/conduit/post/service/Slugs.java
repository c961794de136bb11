package dev.conduit.post.service;

import java.security.SecureRandom;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Set;

/**
 * URL-safe slugs from titles: ASCII letters, digits and single dashes only, whatever the title's
 * characters (accents are folded, everything else separates words). A title with nothing usable
 * (emoji, CJK) gets {@code article}; a taken slug gets a random suffix, and so does a reserved one.
 */
public final class Slugs {

    static final int MAX_LENGTH = 80;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    /**
     * Fixed path words under {@code /articles} in the RealWorld contract: an article slugged so
     * would be shadowed by that route ({@code GET /articles/feed} answers the feed) and never read.
     */
    private static final Set<String> RESERVED = Set.of("feed");

    private Slugs() {
    }

    public static String of(String title) {
        String folded = Normalizer.normalize(title, Normalizer.Form.NFKD).replaceAll("\\p{M}+", "");
        String slug = folded.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (slug.length() > MAX_LENGTH) {
            slug = slug.substring(0, MAX_LENGTH).replaceAll("-+$", "");
        }
        return slug.isEmpty() ? "article" : slug;
    }

    /** Whether {@code slug} names a route rather than an article, so it must be suffixed like a taken one. */
    public static boolean isReserved(String slug) {
        return RESERVED.contains(slug);
    }

    /** {@code base} plus a dash and six random characters, for when {@code base} is taken. */
    public static String withSuffix(String base) {
        StringBuilder suffix = new StringBuilder(6);
        for (int i = 0; i < 6; i++) {
            suffix.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
        }
        return base + "-" + suffix;
    }
}
