package dev.tailor.fingerprint;

/** The application's problem-document advice, for controller-only tests (it is package-private by design). */
public final class ProblemAdvice {

    private ProblemAdvice() {
    }

    public static Object instance() {
        try {
            var ctor = Class.forName("dev.tailor.web.ProblemHandler").getDeclaredConstructor();
            ctor.setAccessible(true);
            return ctor.newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
