package dev.conduit.user.security;

import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jose4j.lang.JoseException;

import javax.crypto.SecretKey;
import java.security.PrivateKey;
import java.security.PublicKey;

/**
 * user-service verifies its own tokens with the key set it holds ({@link SigningKeys}), the key
 * chosen by the token's {@code kid}, never by fetching its own JWK set over HTTP; so a key it starts
 * signing with verifies at once. Everything else (RS256 only, issuer, expiry) is smallrye-jwt's
 * checking with the {@code mp.jwt.verify.*} settings.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class OwnKeysJwtParser implements JWTParser {

    private final DefaultJWTParser standard;
    private final SigningKeys keys;

    public OwnKeysJwtParser(JWTAuthContextInfo context, JWTCallerPrincipalFactory factory, SigningKeys keys) {
        this.standard = new DefaultJWTParser(context, factory);
        this.keys = keys;
    }

    @Override
    public JsonWebToken parse(String token) throws ParseException {
        PublicKey key;
        try {
            key = keys.current().verificationKey(KeySet.kidOf(token));
        } catch (JoseException e) {
            throw new ParseException("not a compact JWS", e);
        }
        if (key == null) {
            throw new ParseException("no key of this service has the token's kid");
        }
        return standard.verify(token, key);
    }

    @Override
    public JsonWebToken parse(String token, JWTAuthContextInfo context) throws ParseException {
        return standard.parse(token, context);
    }

    @Override
    public JsonWebToken verify(String token, PublicKey key) throws ParseException {
        return standard.verify(token, key);
    }

    @Override
    public JsonWebToken verify(String token, SecretKey key) throws ParseException {
        return standard.verify(token, key);
    }

    @Override
    public JsonWebToken verify(String token, String secret) throws ParseException {
        return standard.verify(token, secret);
    }

    @Override
    public JsonWebToken decrypt(String token, PrivateKey key) throws ParseException {
        return standard.decrypt(token, key);
    }

    @Override
    public JsonWebToken decrypt(String token, SecretKey key) throws ParseException {
        return standard.decrypt(token, key);
    }

    @Override
    public JsonWebToken decrypt(String token, String secret) throws ParseException {
        return standard.decrypt(token, secret);
    }

    @Override
    public JsonWebToken parseOnly(String token) throws ParseException {
        return standard.parseOnly(token);
    }
}
