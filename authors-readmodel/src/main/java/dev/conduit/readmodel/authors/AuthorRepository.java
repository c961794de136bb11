package dev.conduit.readmodel.authors;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import io.quarkus.mongodb.FindOptions;
import io.quarkus.mongodb.panache.reactive.ReactivePanacheMongoRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Collection;
import java.util.List;
import java.util.Locale;

/** Queries on the {@code authors} read model. */
@ApplicationScoped
public class AuthorRepository implements ReactivePanacheMongoRepositoryBase<AuthorDocument, String> {

    public Uni<Void> createIndexes() {
        // not unique: for a moment after a rename two users may hold one name here
        return mongoCollection().createIndex(Indexes.ascending("usernameKey"), new IndexOptions().name("usernameKey"))
                .replaceWithVoid();
    }

    public Uni<AuthorDocument> findByUsername(String username) {
        return mongoCollection().find(Filters.eq("usernameKey", username.toLowerCase(Locale.ROOT)), new FindOptions().limit(1))
                .collect().first();
    }

    public Uni<List<AuthorDocument>> findByIds(Collection<String> ids) {
        // a filter, not a Panache query string: no query parsing on every article view
        return mongoCollection().find(ids.size() == 1 ? Filters.eq("_id", ids.iterator().next()) : Filters.in("_id", ids))
                .collect().asList();
    }
}
