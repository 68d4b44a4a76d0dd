package dev.tailor.fingerprint;

import org.springframework.http.HttpStatus;

import dev.tailor.web.ProblemException;

/** A fingerprint Tailor cannot turn into a target; always a 4xx, with a stable code. */
public class FingerprintException extends ProblemException {

    public FingerprintException(HttpStatus status, String code, String detail) {
        super(status, code, detail);
    }

    static FingerprintException unparseable(String detail) {
        return new FingerprintException(HttpStatus.BAD_REQUEST, "fingerprint.unparseable", detail);
    }

    static FingerprintException unknownArch(String detail) {
        return new FingerprintException(HttpStatus.BAD_REQUEST, "fingerprint.unknown_arch", detail);
    }
}
