package dev.tailor.web;

import java.net.URI;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A failure the client can act on. Rendered as an RFC 9457 problem document whose {@code code} is stable and
 * machine-readable, e.g. {@code bundle.path_traversal}.
 */
public class ProblemException extends ErrorResponseException {

    public ProblemException(HttpStatus status, String code, String detail) {
        this(status, code, detail, Map.of());
    }

    public ProblemException(HttpStatus status, String code, String detail, Map<String, Object> properties) {
        super(status, problem(status, code, detail, properties), null);
    }

    public String code() {
        return (String) getBody().getProperties().get("code");
    }

    static ProblemDetail problem(HttpStatus status, String code, String detail, Map<String, Object> properties) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create("https://tailor.dev/problems/" + code));
        problem.setTitle(status.getReasonPhrase());
        problem.setProperty("code", code);
        properties.forEach(problem::setProperty);
        return problem;
    }

    public static ProblemException badRequest(String code, String detail) {
        return new ProblemException(HttpStatus.BAD_REQUEST, code, detail);
    }

    public static ProblemException notFound(String code, String detail) {
        return new ProblemException(HttpStatus.NOT_FOUND, code, detail);
    }
}
