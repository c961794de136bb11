package dev.conduit.post.service;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import dev.conduit.post.config.PostConfig;
import dev.conduit.post.favorite.FavoriteDocument;
import dev.conduit.post.favorite.FavoriteRepository;
import dev.conduit.post.repository.ArticleRepository;
import io.quarkus.mongodb.FindOptions;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduler;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.List;

/**
 * Keeps favorites whole across crashes and versions: finishes, every
 * {@code conduit.post.favorite-repair-interval}, the changes a crash left between their two writes;
 * and at start-up moves the {@code favoritedBy} arrays of articles written by an older version into
 * the {@code favorites} collection (idempotent: the relations are upserted before the array goes).
 */
@ApplicationScoped
public class FavoriteRepair {

    private static final Logger LOG = Logger.getLogger(FavoriteRepair.class);

    private final ArticleService service;
    private final ArticleRepository articles;
    private final FavoriteRepository favorites;

    public FavoriteRepair(ArticleService service, ArticleRepository articles, FavoriteRepository favorites) {
        this.service = service;
        this.articles = articles;
        this.favorites = favorites;
    }

    void start(@Observes StartupEvent event, Scheduler scheduler, PostConfig config) {
        migrate().subscribe().with(moved -> {
            if (moved > 0) {
                LOG.infof("moved the favorites of %d articles into the favorites collection", moved);
            }
        }, e -> LOG.warn("moving favorites failed; the next start tries again", e));
        String every = config.favoriteRepairInterval().toString();
        scheduler.newJob("favorite-repair").setInterval(every).setDelayed(every)
                .setConcurrentExecution(Scheduled.ConcurrentExecution.SKIP)
                .setAsyncTask(execution -> service.announceStragglers()
                        .onFailure().invoke(e -> LOG.warnf("finishing favorite changes failed, will retry: %s", e.toString()))
                        .onFailure().recoverWithNull())
                .schedule();
    }

    /** Articles whose favorites are still an array in the article: moved, then the array removed. */
    public Uni<Long> migrate() {
        var old = Filters.exists("favoritedBy.0");
        return articles.mongoDatabase().getCollection("posts")
                .find(old, new FindOptions().projection(Projections.include("_id", "favoritedBy")))
                .onItem().transformToUniAndConcatenate(doc -> {
                    String articleId = doc.getObjectId("_id").toHexString();
                    List<String> users = doc.getList("favoritedBy", String.class, List.of());
                    Instant now = Instant.now();
                    return Multi.createFrom().iterable(users)
                            .onItem().transformToUniAndConcatenate(user -> favorites.mongoCollection().updateOne(
                                    Filters.eq("_id", FavoriteDocument.id(articleId, user)),
                                    Updates.combine(Updates.set("articleId", articleId), Updates.set("userId", user),
                                            Updates.set("active", true), Updates.setOnInsert("changedAt", now)),
                                    new UpdateOptions().upsert(true)))
                            .collect().last()
                            .chain(() -> articles.mongoDatabase().getCollection("posts")
                                    .updateOne(Filters.eq("_id", doc.getObjectId("_id")), Updates.unset("favoritedBy")))
                            .replaceWith(1L);
                })
                .collect().with(java.util.stream.Collectors.summingLong(n -> n));
    }
}
