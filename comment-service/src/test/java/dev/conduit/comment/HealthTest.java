package dev.conduit.comment;

import dev.conduit.localstack.testing.ServiceHealthContract;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(CommentTestResource.class)
class HealthTest extends ServiceHealthContract {
}
