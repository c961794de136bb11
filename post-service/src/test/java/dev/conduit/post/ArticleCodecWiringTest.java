package dev.conduit.post;

import dev.conduit.localstack.testing.ConduitTestResource;
import dev.conduit.post.repository.ArticleCodec;
import dev.conduit.post.repository.ArticleRepository;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** The MongoDB client found {@link ArticleCodec.Provider} and puts it ahead of the POJO codec. */
@QuarkusTest
@WithTestResource(ConduitTestResource.class)
class ArticleCodecWiringTest {

    @Inject
    ArticleRepository articles;

    @Test
    void articlesAreReadAndWrittenByTheHandWrittenCodec() {
        assertInstanceOf(ArticleCodec.class, articles.mongoCollection().getCodecRegistry().get(ArticleDocument.class));
    }
}
