package dev.tailor.fingerprint;

import dev.tailor.problem.Problem;
import dev.tailor.problem.TailorException;

/** A fingerprint Tailor cannot turn into a target; always a 4xx problem, with a stable code. */
public class FingerprintException extends TailorException {

    public FingerprintException(Problem problem, String detail) {
        super(problem, detail);
    }

    static FingerprintException unparseable(String detail) {
        return new FingerprintException(Problem.FINGERPRINT_UNPARSEABLE, detail);
    }

    static FingerprintException unknownArch(String detail) {
        return new FingerprintException(Problem.FINGERPRINT_UNKNOWN_ARCH, detail);
    }
}
