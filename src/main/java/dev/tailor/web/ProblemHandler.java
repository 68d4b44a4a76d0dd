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

import dev.tailor.problem.OutOfSpace;
import dev.tailor.problem.Problem;
import dev.tailor.problem.TailorException;
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
        return problem(Problem.REQUEST_TOO_LARGE.because("The request body is larger than this endpoint accepts."), exchange);
    }

    /** Every catalogued problem; a failure behind the request (5xx) is logged with its cause, never shown. */
    @ExceptionHandler(TailorException.class)
    Mono<ResponseEntity<Object>> problem(TailorException ex, ServerWebExchange exchange) {
        if (ex.problem().status() >= 500) {
            log.warn("{} on {} {}: {}", ex.code(), exchange.getRequest().getMethod(), exchange.getRequest().getPath(),
                    ex.getMessage(), ex.getCause());
        }
        if (ex.problem().status() == 0) { // a build record's failure code, never an answer: a bug if it gets here
            return unexpected(ex, exchange);
        }
        return problem(new ProblemException(ex), exchange);
    }

    @ExceptionHandler(DecodingException.class)
    Mono<ResponseEntity<Object>> undecodable(DecodingException ex, ServerWebExchange exchange) {
        return problem(Problem.REQUEST_MALFORMED.because("The request body could not be read: "
                + safeMessage(ex)), exchange);
    }

    @ExceptionHandler(Exception.class)
    Mono<ResponseEntity<Object>> unexpected(Exception ex, ServerWebExchange exchange) {
        if (ex instanceof ErrorResponse) {
            return handleException(ex, exchange);
        }
        if (OutOfSpace.causes(ex)) { // a spool or work file that did not fit: nothing was kept
            log.warn("out of space on {} {}: {}", exchange.getRequest().getMethod(), exchange.getRequest().getPath(),
                    ex.toString());
            return problem(new ProblemException(OutOfSpace.problem()), exchange);
        }
        log.error("unexpected failure on {} {}", exchange.getRequest().getMethod(), exchange.getRequest().getPath(), ex);
        return problem(Problem.INTERNAL.because("The server failed unexpectedly; the failure has been logged."), exchange);
    }

    private Mono<ResponseEntity<Object>> problem(ProblemException ex, ServerWebExchange exchange) {
        return handleExceptionInternal(ex, ex.getBody(), ex.getHeaders(), ex.getStatusCode(), exchange);
    }

    private static void decorate(ProblemDetail problem, Exception ex, HttpStatusCode status) {
        if (problem.getProperties() == null || !problem.getProperties().containsKey("code")) {
            String code = codeFor(ex, status);
            problem.setProperty("code", code);
            problem.setType(ProblemException.type(code));
        }
        if (problem.getTitle() == null && status instanceof HttpStatus known) {
            problem.setTitle(known.getReasonPhrase());
        }
    }

    static String codeFor(Exception ex, HttpStatusCode status) {
        if (ex instanceof ServerWebInputException && status.value() == 400) {
            return Problem.REQUEST_MALFORMED.code();
        }
        return switch (status.value()) {
            case 400 -> Problem.REQUEST_BAD.code();
            case 404 -> Problem.HTTP_NOT_FOUND.code();
            case 405 -> Problem.HTTP_METHOD_NOT_ALLOWED.code();
            case 406 -> Problem.HTTP_NOT_ACCEPTABLE.code();
            case 413 -> Problem.REQUEST_TOO_LARGE.code();
            case 415 -> Problem.HTTP_UNSUPPORTED_MEDIA_TYPE.code();
            default -> "http." + status.value(); // Problem.HTTP_OTHER
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
