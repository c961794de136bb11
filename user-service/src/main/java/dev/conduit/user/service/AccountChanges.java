package dev.conduit.user.service;

import java.util.Set;

/**
 * A partial change of the caller's account, as the service takes it: which fields the client sent
 * ({@link #sent}) and their values, already validated for shape by the web layer. A field not sent
 * stays as it is; {@code bio} or {@code image} sent empty is cleared.
 */
public record AccountChanges(Set<String> sentFields, String email, String username, String password, String bio,
                             String image) {

    public AccountChanges {
        sentFields = Set.copyOf(sentFields);
    }

    public boolean sent(String field) {
        return sentFields.contains(field);
    }
}
