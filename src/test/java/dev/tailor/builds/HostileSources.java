package dev.tailor.builds;

/** C sources that are hard on a compiler, for the sandbox and crash tests. */
public final class HostileSources {

    private HostileSources() {
    }

    /**
     * A preprocessor condition of 2^n terms: the preprocessor spends time doubling with n (about 1 s at 22 on this
     * machine, effectively forever at 40) and, past about 25, memory too.
     */
    /** Assembly that keeps the assembler busy for hours in constant memory: 10^12 empty repetitions. */
    public static final String SPIN = ".rept 1000000\n.rept 1000000\n.endr\n.endr\n";

    public static String macroBomb(int n) {
        StringBuilder src = new StringBuilder("#define A0 1+\n");
        for (int i = 1; i <= n; i++) {
            src.append("#define A").append(i).append(" A").append(i - 1).append(" A").append(i - 1).append('\n');
        }
        return src.append("#if A").append(n).append(" 0\n#endif\nint main(void) { return 0; }\n").toString();
    }
}
