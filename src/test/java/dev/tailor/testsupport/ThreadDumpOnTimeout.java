package dev.tailor.testsupport;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * Registered for every test (autodetected, see junit-platform.properties): when a test fails because something timed
 * out, the stacks of all the JVM's threads go to standard error (the test's output file under surefire-reports) before
 * the failure is reported, so a stall that happened once says which thread waited on what.
 */
public final class ThreadDumpOnTimeout implements TestExecutionExceptionHandler {

    private static final int MAX_FRAMES = 30;

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        if (isTimeout(failure)) {
            System.err.println(dump(context.getDisplayName()));
        }
        throw failure;
    }

    static boolean isTimeout(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (t instanceof TimeoutException || t.getClass().getSimpleName().contains("Timeout")
                    || message.contains("timeout on blocking read") || message.contains("timed out")) {
                return true;
            }
        }
        return false;
    }

    static String dump(String test) {
        StringBuilder out = new StringBuilder("=== threads when \"").append(test).append("\" timed out ===\n");
        ThreadInfo[] threads = ManagementFactory.getThreadMXBean().dumpAllThreads(true, true);
        // the server's and client's event loops first: a request that never got its answer usually waited there
        java.util.Arrays.sort(threads, java.util.Comparator.comparing((ThreadInfo i) -> !i.getThreadName().startsWith("reactor-http"))
                .thenComparing(ThreadInfo::getThreadName));
        for (ThreadInfo info : threads) {
            out.append('"').append(info.getThreadName()).append("\" ").append(info.getThreadState());
            if (info.getLockName() != null) {
                out.append(" on ").append(info.getLockName());
            }
            if (info.getLockOwnerName() != null) {
                out.append(" owned by \"").append(info.getLockOwnerName()).append('"');
            }
            out.append('\n');
            StackTraceElement[] frames = info.getStackTrace();
            for (int i = 0; i < Math.min(frames.length, MAX_FRAMES); i++) {
                out.append("    at ").append(frames[i]).append('\n');
            }
        }
        return out.append("=== end of threads ===").toString();
    }
}
