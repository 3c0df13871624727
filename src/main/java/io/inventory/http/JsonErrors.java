package io.inventory.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.inventory.serde.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The errors Jetty answers itself, before or around Javalin, in the API's error shape
 * {@code {"error": "...", "status": N}}: a request line or header it cannot parse (400), headers over
 * {@link HttpApi#MAX_HEADER_BYTES} (431), a bad {@code Content-Length} (400), a URI it refuses. Jetty's reason is
 * the message; it never carries a stack trace or the request's bytes beyond what Jetty itself quotes.
 *
 * <p>Two handlers, because Jetty has two places to put one: the server (errors found while parsing, before
 * any context) and the servlet context Javalin runs in (errors the servlet layer raises; Jetty's servlet error
 * handler also completes the servlet's response, which the plain one would not).
 */
final class JsonErrors {

    private JsonErrors() {
    }

    /** For {@code Server.setErrorHandler}. */
    static Request.Handler forServer() {
        return JsonErrors::answerBeforeAnyContext;
    }

    /** For the {@code ServletContextHandler} Javalin creates. */
    static org.eclipse.jetty.ee10.servlet.ErrorHandler forServletContext() {
        return new ServletErrors();
    }

    static String body(final int status, final String reason) {
        final String message = reason == null || reason.isBlank() ? HttpStatus.getMessage(status) : reason;
        try {
            return Json.MAPPER.writeValueAsString(new io.inventory.http.Response.ErrorBody(truncate(message), status));
        } catch (final JsonProcessingException e) {
            throw new UncheckedIOException("cannot write an error body", e);
        }
    }

    /**
     * A 500 whose cause is the connection, not the service (Jetty's {@code EofException} and other I/O errors:
     * the client went away, or the instance is stopping while it answers) is a 503, to be retried, not an internal
     * error: the fault suite saw one while an instance shut down.
     */
    static int status(final int code, final Throwable cause) {
        return code == 500 && isConnectionFailure(cause) ? 503 : code;
    }

    private static String reason(final int code, final String message, final Throwable cause) {
        return status(code, cause) != code ? "the connection broke while answering; retry" : message;
    }

    private static boolean isConnectionFailure(final Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    private static String truncate(final String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }

    /**
     * Errors found while parsing, before any context: a plain handler, not a subclass of Jetty's, since there is
     * nothing of Jetty's error page to keep. JSON whatever the request's {@code Accept} says (the API has one error
     * format), for every method (Jetty's default leaves the body out for PUT, DELETE and the rest), never cached,
     * with neither stacks nor causes.
     */
    private static boolean answerBeforeAnyContext(final Request request, final Response response,
                                                  final Callback callback) {
        final int code = request.getAttribute(ErrorHandler.ERROR_STATUS) instanceof Integer status ? status : 500;
        final String message = request.getAttribute(ErrorHandler.ERROR_MESSAGE) instanceof String text ? text : null;
        final Throwable cause = request.getAttribute(ErrorHandler.ERROR_EXCEPTION) instanceof Throwable t ? t : null;
        final int status = status(code, cause);
        response.setStatus(status);
        response.getHeaders().put(ErrorHandler.ERROR_CACHE_CONTROL);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json;charset=utf-8");
        final byte[] body = body(status, reason(code, message, cause)).getBytes(StandardCharsets.UTF_8);
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }

    /**
     * Errors the servlet layer raises. A subclass of Jetty's servlet error handler, which completes the servlet's
     * response itself; as the server's: JSON for every method and {@code Accept}, with neither stacks nor causes.
     */
    private static final class ServletErrors extends org.eclipse.jetty.ee10.servlet.ErrorHandler {

        ServletErrors() {
            setShowStacks(false);
            setShowCauses(false);
            setShowOrigin(false);
        }

        @Override
        public boolean errorPageForMethod(final String method) {
            return true;
        }

        @Override
        protected void generateResponse(final Request request, final Response response, final int code,
                                        final String message, final Throwable cause, final Callback callback)
            throws IOException {
            // The servlet handler completes the callback itself once this returns.
            final int status = status(code, cause);
            response.setStatus(status);
            generateAcceptableResponse(request, response, callback, "application/json", List.of(StandardCharsets.UTF_8),
                status, reason(code, message, cause), cause);
        }

        @Override
        protected void writeErrorJson(final Request request, final PrintWriter writer, final int code,
                                      final String message, final Throwable cause) {
            writer.write(body(code, message));
        }
    }
}
