package dev.conduit.user.service;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import dev.conduit.events.user.UserCredentialsChanged;
import dev.conduit.events.user.UserFollowed;
import dev.conduit.events.user.UserProfileChanged;
import dev.conduit.events.user.UserRegistered;
import dev.conduit.events.user.UserUnfollowed;
import dev.conduit.support.error.ApiException;
import dev.conduit.support.mongo.StartupIndexes;
import dev.conduit.support.outbox.OptimisticChange;
import dev.conduit.support.outbox.OutboxRelay;
import dev.conduit.support.outbox.PendingEvent;
import dev.conduit.support.outbox.PendingEvents;
import dev.conduit.support.security.Caller;
import dev.conduit.support.security.Callers;
import dev.conduit.user.UserDocument;
import dev.conduit.user.repository.UserRepository;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.bson.conversions.Bson;
import org.bson.types.ObjectId;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/** The rules of accounts, logins, profiles and follows. */
@ApplicationScoped
public class UserService {

    /** Same answer whether the email or the password was wrong: no account enumeration. */
    public static final String BAD_CREDENTIALS = "email or password is invalid";
    /**
     * Bounded optimistic retries of one account's change. Each round lets at least one writer
     * through, so a client changing its account many times at once (following a page of authors
     * in parallel) needs about as many rounds as it has changes in flight; 5 answered 19 of 48
     * such follows with a 409.
     */
    private static final int MAX_ATTEMPTS = 64;

    private final UserRepository users;
    private final PasswordHasher passwords;
    private final TokenIssuer tokens;
    private final OutboxRelay relay;
    private final PendingEvents events;

    public UserService(UserRepository users, PasswordHasher passwords, TokenIssuer tokens, OutboxRelay relay,
                       PendingEvents events) {
        this.users = users;
        this.passwords = passwords;
        this.tokens = tokens;
        this.relay = relay;
        this.events = events;
    }

    void createIndexes(@Observes StartupEvent event, StartupIndexes indexes) {
        indexes.ensure("users", users::createIndexes);
    }

    /** A signed-in user: the stored account and a token for it. */
    public record Session(UserDocument user, String token) {
    }

    public Uni<Session> register(String username, String email, String password) {
        String cleanEmail = email.trim();
        checkPasswordBytes(password);
        return ensureFree(null, cleanEmail, username)
                .chain(() -> passwords.hash(password))
                .chain(hash -> {
                    UserDocument user = new UserDocument();
                    user.id = new ObjectId();
                    user.username = username;
                    user.usernameKey = UserDocument.key(username);
                    user.email = cleanEmail;
                    user.emailKey = UserDocument.key(cleanEmail);
                    user.passwordHash = hash;
                    user.version = 1;
                    user.createdAt = Instant.now();
                    user.updatedAt = user.createdAt;
                    user.pendingEvents.add(events.of(new UserRegistered(user.id.toHexString(), user.username, null, null), 1));
                    return users.persist(user)
                            .onFailure().transform(UserService::uniquenessFailure);
                })
                .invoke(user -> relay.publishSoon(user.id))
                .chain(user -> tokens.issue(user).map(token -> new Session(user, token)));
    }

    public Uni<Session> login(String email, String password) {
        return users.findByEmail(email.trim())
                .chain(user -> passwords.matches(password, user == null ? null : user.passwordHash)
                        .map(ok -> {
                            if (!ok) {
                                throw ApiException.unauthorized(BAD_CREDENTIALS);
                            }
                            return user;
                        }))
                .chain(user -> tokens.issue(user).map(token -> new Session(user, token)));
    }

    /** The caller's account; a valid token of an account that no longer exists is a 401. */
    public Uni<UserDocument> current(Caller caller) {
        return users.findById(objectId(caller.id()))
                .onItem().ifNull().failWith(() -> ApiException.unauthorized("the account of this token no longer exists"));
    }

    public Uni<Session> update(Caller caller, AccountChanges changes) {
        if (changes.sent("email") && changes.email() == null) {
            throw ApiException.invalid("email can't be blank");
        }
        if (changes.sent("username") && changes.username() == null) {
            throw ApiException.invalid("username can't be blank");
        }
        if (changes.sent("password") && changes.password() == null) {
            throw ApiException.invalid("password can't be blank");
        }
        if (changes.password() != null) {
            checkPasswordBytes(changes.password());
        }
        String email = changes.email() == null ? null : changes.email().trim();
        Uni<String> newHash = changes.password() == null ? Uni.createFrom().nullItem() : passwords.hash(changes.password());
        return current(caller)
                .chain(user -> ensureFree(user.id, email, changes.username()))
                .chain(() -> newHash)
                .chain(hash -> change(objectId(caller.id()), user -> {
                    List<Bson> updates = new ArrayList<>();
                    if (email != null && !email.equals(user.email)) {
                        updates.add(Updates.set("email", email));
                        updates.add(Updates.set("emailKey", UserDocument.key(email)));
                    }
                    String username = changes.username() == null ? user.username : changes.username();
                    String bio = changes.sent("bio") ? blankToNull(changes.bio()) : user.bio;
                    String image = changes.sent("image") ? blankToNull(changes.image()) : user.image;
                    if (!username.equals(user.username)) {
                        updates.add(Updates.set("username", username));
                        updates.add(Updates.set("usernameKey", UserDocument.key(username)));
                    }
                    if (!Objects.equals(bio, user.bio)) {
                        updates.add(Updates.set("bio", bio));
                    }
                    if (!Objects.equals(image, user.image)) {
                        updates.add(Updates.set("image", image));
                    }
                    List<PendingEvent> changed = new ArrayList<>();
                    long version = user.version;
                    if (!username.equals(user.username) || !Objects.equals(bio, user.bio) || !Objects.equals(image, user.image)) {
                        changed.add(events.of(new UserProfileChanged(user.id.toHexString(), username, bio, image), ++version));
                    }
                    if (hash != null) {
                        // a new password revokes every token issued before it, everywhere
                        Instant cutoff = TokenIssuer.cutoffFor(Instant.now());
                        updates.add(Updates.set("passwordHash", hash));
                        updates.add(Updates.set("tokensValidAfter", cutoff));
                        changed.add(events.of(new UserCredentialsChanged(user.id.toHexString(), cutoff), ++version));
                    }
                    return updates.isEmpty() ? null : new AccountChange(updates, changed, null);
                }))
                .chain(user -> tokenAfterUpdate(caller, user, changes.password() != null));
    }

    /**
     * The token an update answers with. The caller's own, as {@code GET /api/user} answers, while it
     * still proves who they are and names them right; a fresh one when the update changed the
     * password (which revokes every older token) or the username no longer matches the token's
     * claim. Signing is an RSA private-key operation: 10-40 ms of CPU with the services' C1-only JIT
     * (no BigInteger intrinsics), most of what an update of the bio or image cost.
     */
    private Uni<Session> tokenAfterUpdate(Caller caller, UserDocument user, boolean newPassword) {
        if (!newPassword && user.username.equals(caller.username())) {
            return Uni.createFrom().item(new Session(user, caller.token()));
        }
        return tokens.issue(user).map(token -> new Session(user, token));
    }

    /** A profile as the caller (if any) sees it. */
    public record ProfileView(UserDocument user, boolean following) {
    }

    public Uni<ProfileView> profile(String username, Caller caller) {
        return findProfile(username).chain(user -> {
            if (caller == null) {
                return Uni.createFrom().item(new ProfileView(user, false));
            }
            return users.findById(objectId(caller.id()))
                    .map(me -> new ProfileView(user, me != null && me.following.contains(user.id)));
        });
    }

    public Uni<ProfileView> follow(Caller caller, String username) {
        return findProfile(username).chain(target -> {
            if (target.id.toHexString().equals(caller.id())) {
                throw ApiException.invalid("you cannot follow yourself");
            }
            return change(objectId(caller.id()), me -> me.following.contains(target.id) ? null
                    : new AccountChange(List.of(Updates.addToSet("following", target.id)),
                            List.of(events.of(new UserFollowed(caller.id(), target.id.toHexString()), me.version + 1)),
                            Filters.ne("following", target.id)))
                    .map(me -> new ProfileView(target, true));
        });
    }

    public Uni<ProfileView> unfollow(Caller caller, String username) {
        return findProfile(username).chain(target -> change(objectId(caller.id()), me -> !me.following.contains(target.id) ? null
                : new AccountChange(List.of(Updates.pull("following", target.id)),
                        List.of(events.of(new UserUnfollowed(caller.id(), target.id.toHexString()), me.version + 1)),
                        Filters.eq("following", target.id)))
                .map(me -> new ProfileView(target, false)));
    }

    /**
     * One change of an account: its updates, the events it appends (each with the next version, in
     * order; a new password and a new profile in one request make two) and a guard (null for none).
     */
    private record AccountChange(List<Bson> updates, List<PendingEvent> events, Bson guard) {
    }

    /** A change of one account, decided on the version read and retried on a concurrent change. */
    private Uni<UserDocument> change(ObjectId id, Function<UserDocument, AccountChange> decide) {
        return OptimisticChange.decideAndWrite(
                () -> users.findById(id).onItem().ifNull()
                        .failWith(() -> ApiException.unauthorized("the account of this token no longer exists")),
                decide,
                (UserDocument user, AccountChange change) -> users.update(id, user.version, change.updates(), change.events(), change.guard())
                        .onFailure().transform(UserService::uniquenessFailure)
                        .invoke(applied -> {
                            if (applied && !change.events().isEmpty()) {
                                relay.publishSoon(id);
                            }
                        }),
                MAX_ATTEMPTS, "the account changed concurrently, try again");
    }

    /** An account by id, for other services; 404 for an id that is no account. */
    public Uni<UserDocument> account(String id) {
        if (id == null || !ObjectId.isValid(id)) {
            return Uni.createFrom().failure(ApiException.notFound("user"));
        }
        return users.findById(new ObjectId(id)).onItem().ifNull().failWith(() -> ApiException.notFound("user"));
    }

    private Uni<UserDocument> findProfile(String username) {
        return users.findByUsername(username).onItem().ifNull().failWith(() -> ApiException.notFound("profile"));
    }

    /** Reports every taken value at once; the unique indexes still decide a race. */
    private Uni<Void> ensureFree(ObjectId self, String email, String username) {
        Uni<UserDocument> byEmail = email == null ? Uni.createFrom().nullItem() : users.findByEmail(email);
        Uni<UserDocument> byName = username == null ? Uni.createFrom().nullItem() : users.findByUsername(username);
        return Uni.combine().all().unis(byEmail, byName).asTuple().map(found -> {
            List<String> taken = new ArrayList<>();
            if (found.getItem1() != null && !found.getItem1().id.equals(self)) {
                taken.add("email has already been taken");
            }
            if (found.getItem2() != null && !found.getItem2().id.equals(self)) {
                taken.add("username has already been taken");
            }
            if (!taken.isEmpty()) {
                throw new ApiException(422, taken);
            }
            return null;
        });
    }

    private static Throwable uniquenessFailure(Throwable failure) {
        String index = UserRepository.duplicateIndex(failure);
        if (index == null) {
            return failure;
        }
        return ApiException.invalid(switch (index) {
            case UserRepository.EMAIL_INDEX -> "email has already been taken";
            case UserRepository.USERNAME_INDEX -> "username has already been taken";
            default -> "email or username has already been taken";
        });
    }

    private static void checkPasswordBytes(String password) {
        if (password.getBytes(StandardCharsets.UTF_8).length > 72) {
            throw ApiException.invalid("password is too long (maximum is 72 bytes)");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** A token's subject that is no ObjectId cannot be ours: 401, never a 500. */
    private static ObjectId objectId(String id) {
        if (id == null || !ObjectId.isValid(id)) {
            throw ApiException.unauthorized(Callers.INVALID_TOKEN);
        }
        return new ObjectId(id);
    }
}
