package dev.tailor.web;

import java.net.URI;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.codec.DecodingException;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;

import dev.tailor.build.BuildDispatchUnavailableException;
import dev.tailor.store.BlobStoreException;
import dev.tailor.toolchain.PublishedToolchains;
import reactor.core.publisher.Mono;

/**
 * Turns every failure into an RFC 9457 problem document with a stable {@code code}. Framework errors (404, 405,
 * 415, malformed bodies) get codes derived from their status; anything unexpected is logged and answered with a
 * generic 500 that reveals nothing about the server.
 */
@RestControllerAdvice
class ProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    @Override
    protected Mono<ResponseEntity<Object>> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
            HttpStatusCode status, ServerWebExchange exchange) {
        return super.handleExceptionInternal(ex, body, headers, status, exchange).map(response -> {
            if (response.getBody() instanceof ProblemDetail problem) {
                decorate(problem, ex, status);
            }
            // An error can change the moment its cause does: no edge or client may keep it.
            HttpHeaders withNoStore = new HttpHeaders();
            withNoStore.addAll(response.getHeaders());
            withNoStore.setCacheControl(CacheControl.noStore());
            return new ResponseEntity<>(response.getBody(), withNoStore, response.getStatusCode());
        });
    }

    @ExceptionHandler(DataBufferLimitException.class)
    Mono<ResponseEntity<Object>> tooLarge(DataBufferLimitException ex, ServerWebExchange exchange) {
        return problem(new ProblemException(HttpStatus.CONTENT_TOO_LARGE, "request.too_large",
                "The request body is larger than this endpoint accepts."), exchange);
    }

    @ExceptionHandler(BlobStoreException.class)
    Mono<ResponseEntity<Object>> storeDown(BlobStoreException ex, ServerWebExchange exchange) {
        return unavailable(ex.toString(), "store.unavailable", "The storage backend is unavailable; retry shortly.",
                5, exchange);
    }

    @ExceptionHandler(BuildDispatchUnavailableException.class)
    Mono<ResponseEntity<Object>> dispatchDown(BuildDispatchUnavailableException ex, ServerWebExchange exchange) {
        return unavailable(ex.getMessage(), "build.dispatch_unavailable",
                "Builds cannot be handed to the workers right now; retry shortly.", 5, exchange);
    }

    @ExceptionHandler(PublishedToolchains.NoWorkerException.class)
    Mono<ResponseEntity<Object>> noWorker(PublishedToolchains.NoWorkerException ex, ServerWebExchange exchange) {
        return unavailable(ex.getMessage(), "build.no_worker",
                "No build worker for this architecture has started yet; retry shortly.", 30, exchange);
    }

    /** A backend this request needs is down: 503 with Retry-After, the cause only in the log. */
    private Mono<ResponseEntity<Object>> unavailable(String cause, String code, String detail, int retryAfter,
                                                     ServerWebExchange exchange) {
        log.warn("{} on {} {}: {}", code, exchange.getRequest().getMethod(), exchange.getRequest().getPath(), cause);
        ProblemException problem = new ProblemException(HttpStatus.SERVICE_UNAVAILABLE, code, detail);
        problem.getHeaders().set(HttpHeaders.RETRY_AFTER, String.valueOf(retryAfter));
        return problem(problem, exchange);
    }

    @ExceptionHandler(DecodingException.class)
    Mono<ResponseEntity<Object>> undecodable(DecodingException ex, ServerWebExchange exchange) {
        return problem(ProblemException.badRequest("request.malformed", "The request body could not be read: "
                + safeMessage(ex)), exchange);
    }

    @ExceptionHandler(Exception.class)
    Mono<ResponseEntity<Object>> unexpected(Exception ex, ServerWebExchange exchange) {
        if (ex instanceof ErrorResponse) {
            return handleException(ex, exchange);
        }
        log.error("unexpected failure on {} {}", exchange.getRequest().getMethod(), exchange.getRequest().getPath(), ex);
        return problem(new ProblemException(HttpStatus.INTERNAL_SERVER_ERROR, "internal",
                "The server failed unexpectedly; the failure has been logged."), exchange);
    }

    private Mono<ResponseEntity<Object>> problem(ProblemException ex, ServerWebExchange exchange) {
        return handleExceptionInternal(ex, ex.getBody(), ex.getHeaders(), ex.getStatusCode(), exchange);
    }

    private static void decorate(ProblemDetail problem, Exception ex, HttpStatusCode status) {
        if (problem.getProperties() == null || !problem.getProperties().containsKey("code")) {
            String code = codeFor(ex, status);
            problem.setProperty("code", code);
            problem.setType(URI.create("https://tailor.dev/problems/" + code));
        }
        if (problem.getTitle() == null && status instanceof HttpStatus known) {
            problem.setTitle(known.getReasonPhrase());
        }
    }

    static String codeFor(Exception ex, HttpStatusCode status) {
        if (ex instanceof ServerWebInputException && status.value() == 400) {
            return "request.malformed";
        }
        return switch (status.value()) {
            case 400 -> "request.bad";
            case 404 -> "http.not_found";
            case 405 -> "http.method_not_allowed";
            case 406 -> "http.not_acceptable";
            case 413 -> "request.too_large";
            case 415 -> "http.unsupported_media_type";
            default -> "http." + status.value();
        };
    }

    private static String safeMessage(Exception ex) {
        String m = ex.getMessage();
        if (m == null) {
            return "unreadable content";
        }
        int nl = m.indexOf('\n');
        m = nl >= 0 ? m.substring(0, nl) : m;
        return m.length() > 200 ? m.substring(0, 200) : m;
    }
}
