package io.inventory.http;

import io.inventory.config.Secret;
import java.util.Locale;
import java.util.Optional;

/**
 * Bearer-token authentication. Without a token every route is open. With one, write routes require
 * {@code Authorization: Bearer <token>}, and read routes too when {@code reads} is set; health and metrics stay
 * open for probes and scrapers. The token is compared in constant time ({@link Secret#matches}) and never logged
 * or echoed.
 */
public final class BearerAuth {

    /** Authentication off: what a service without {@code HTTP_AUTH_TOKEN} runs with. */
    public static final BearerAuth NONE = new BearerAuth(Optional.empty(), false);

    private static final String SCHEME = "bearer ";

    private final Optional<Secret> token;
    private final boolean reads;

    public BearerAuth(final Optional<Secret> token, final boolean reads) {
        this.token = token;
        this.reads = reads;
    }

    /** The token this instance sends to the others, so that forwarded reads pass their check. */
    public Optional<Secret> token() {
        return token;
    }

    void requireForWrite(final Request request) {
        require(request);
    }

    void requireForRead(final Request request) {
        if (reads) {
            require(request);
        }
    }

    private void require(final Request request) {
        if (token.isEmpty()) {
            return;
        }
        final Optional<String> header = request.header("Authorization");
        if (header.isEmpty()) {
            throw new HttpError(401, "this route needs an Authorization: Bearer token");
        }
        final String value = header.get();
        final boolean bearer = value.length() > SCHEME.length()
            && value.substring(0, SCHEME.length()).toLowerCase(Locale.ROOT).equals(SCHEME);
        if (!bearer || !token.get().matches(value.substring(SCHEME.length()).trim())) {
            throw new HttpError(401, "invalid bearer token");
        }
    }
}
