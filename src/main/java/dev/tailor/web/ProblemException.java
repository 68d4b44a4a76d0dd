package dev.tailor.web;

import java.net.URI;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

import dev.tailor.problem.Problem;
import dev.tailor.problem.TailorException;

/**
 * A problem from the catalogue as Spring's error response: an RFC 9457 document whose {@code type} names the
 * catalogue's code and whose {@code code} is that code (or the earlier spelling the endpoint sends). Controllers use
 * it directly only when the answer needs headers of its own (a 416's Content-Range); everything else throws
 * {@link TailorException}, which {@link ProblemHandler} turns into one of these.
 */
public class ProblemException extends ErrorResponseException {

    private final String code;

    public ProblemException(Problem problem, String detail) {
        this(problem.because(detail));
    }

    public ProblemException(TailorException e) {
        super(HttpStatus.valueOf(e.problem().status()), document(e), e.getCause());
        this.code = e.code();
        if (e.retryAfterSeconds() > 0) {
            getHeaders().set(HttpHeaders.RETRY_AFTER, String.valueOf(e.retryAfterSeconds()));
        }
        if (e.problem().status() == 401) {
            getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"tailor\"");
        }
    }

    public String code() {
        return code;
    }

    private static ProblemDetail document(TailorException e) {
        HttpStatus status = HttpStatus.valueOf(e.problem().status());
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, e.detail());
        problem.setType(type(e.problem().code()));
        problem.setTitle(status.getReasonPhrase());
        problem.setProperty("code", e.code());
        e.properties().forEach(problem::setProperty);
        return problem;
    }

    static URI type(String code) {
        return URI.create("https://tailor.dev/problems/" + code);
    }

}
