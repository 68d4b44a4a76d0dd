package dev.tailor.bundle;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.Paths;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.LongSupplier;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.archivers.zip.ZipMethod;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.utils.InputStreamStatistics;

import dev.tailor.problem.Problem;
import dev.tailor.store.Digest;
import dev.tailor.problem.TailorException;

/**
 * Turns an uploaded archive into the canonical tar whose sha256 is the bundle digest: regular files only, sorted
 * by path, zero times and owners, fixed modes. Every entry is checked as it streams past (names, types, sizes,
 * inflation ratio) and rejected with its own problem code; contents are staged under numbered files, so no name
 * from the archive ever touches the file system.
 */
final class BundleNormalizer {

    private static final int DIR_TYPE = 0040000;
    private static final int FILE_TYPE = 0100000;
    private static final int SYMLINK_TYPE = 0120000;
    private static final int TYPE_MASK = 0170000;
    private static final int MAX_PATH = 1024;
    private static final int MAX_SEGMENT = 255;
    /** Tar type flags of regular files: '0', NUL (old tars) and '7' (contiguous). */
    private static final String REGULAR = "0\u00007";
    private static final List<String> SOURCE_SUFFIXES = List.of(".c", ".S", ".s");
    /**
     * The zip compression methods Commons Compress reads by itself. It also claims zstd and xz, but reads them with
     * libraries Tailor does not ship: an entry that says it uses them failed with NoClassDefFoundError (found by
     * BundleFuzzTest, notes/fuzzing.md).
     */
    private static final java.util.Set<Integer> ZIP_METHODS = java.util.Set.of(ZipMethod.STORED.getCode(),
            ZipMethod.DEFLATED.getCode(), ZipMethod.ENHANCED_DEFLATED.getCode(), ZipMethod.BZIP2.getCode(),
            ZipMethod.UNSHRINKING.getCode(), ZipMethod.IMPLODING.getCode());

    private final BundleLimits limits;

    BundleNormalizer(BundleLimits limits) {
        this.limits = limits;
    }

    /** The result: the canonical tar (a file in the work directory) and what it holds. */
    record Normalized(Path tar, Digest digest, long size, SortedMap<String, Long> files, Manifest manifest) {
    }

    private record Staged(Path path, long size) {
    }

    Normalized normalize(Path archive, ArchiveFormat format, String app, Path work) throws IOException {
        Files.createDirectories(work);
        Stager stager = new Stager(work);
        try {
            switch (format) {
                case ZIP -> readZip(archive, stager);
                case TAR, TAR_GZ -> readTar(archive, format == ArchiveFormat.TAR_GZ, stager);
            }
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            throw Problem.BUNDLE_UNREADABLE.because("The upload is not a readable " + format.name().toLowerCase().replace('_', '.') + " archive");
        }
        SortedMap<String, Staged> files = stripCommonRoot(stager.files);
        if (files.isEmpty()) {
            throw Problem.BUNDLE_EMPTY.because("The archive contains no files");
        }
        checkNoFileIsAlsoADirectory(files);
        Staged manifestFile = files.get(Manifest.FILE);
        if (manifestFile == null) {
            throw Problem.MANIFEST_MISSING.because("The archive has no " + Manifest.FILE + " at its root");
        }
        if (manifestFile.size() > limits.maxManifest().toBytes()) {
            throw Problem.MANIFEST_TOO_LARGE.because(Manifest.FILE + " is larger than " + BundleLimits.human(limits.maxManifest()));
        }
        Manifest manifest = ManifestParser.parse(Files.readAllBytes(manifestFile.path()), app);
        checkSources(manifest, files.keySet());
        Path tar = work.resolve("canonical.tar");
        Digest digest = writeCanonicalTar(files, tar);
        SortedMap<String, Long> sizes = new TreeMap<>();
        files.forEach((name, staged) -> sizes.put(name, staged.size()));
        return new Normalized(tar, digest, Files.size(tar), Collections.unmodifiableSortedMap(sizes), manifest);
    }

    private void readTar(Path archive, boolean gzipped, Stager stager) throws IOException {
        try (InputStream file = new BufferedInputStream(Files.newInputStream(archive), 65536)) {
            InputStream raw = file;
            LongSupplier compressed = () -> Long.MAX_VALUE;
            if (gzipped) {
                GzipCompressorInputStream gz = GzipCompressorInputStream.builder().setInputStream(file)
                        .setDecompressConcatenated(true).get();
                raw = gz;
                compressed = gz::getCompressedCount;
            }
            // Read names byte for byte (ISO-8859-1) and decode them strictly below: Commons Compress would
            // silently turn invalid UTF-8 into '?'.
            TarArchiveInputStream tar = new TarArchiveInputStream(raw, StandardCharsets.ISO_8859_1.name());
            for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                String name = checkName(strictUtf8(e.getName()));
                if (e.isSymbolicLink()) {
                    throw Problem.BUNDLE_SYMLINK.because("Symbolic links are not allowed: " + name);
                } else if (e.isLink()) {
                    throw Problem.BUNDLE_HARDLINK.because("Hard links are not allowed: " + name);
                } else if (e.isDirectory()) {
                    stager.directory(name);
                } else if (REGULAR.indexOf(e.getLinkFlag()) >= 0 && !e.isGNUSparse()) {
                    stager.file(name, tar, compressed);
                } else {
                    throw Problem.BUNDLE_SPECIAL_FILE.because("Only regular files and directories are allowed; " + name + " is a device, FIFO or sparse file");
                }
            }
        }
    }

    private void readZip(Path archive, Stager stager) throws IOException {
        try (ZipFile zip = ZipFile.builder().setPath(archive).setCharset(StandardCharsets.UTF_8)
                .setUseUnicodeExtraFields(false).get()) {
            long[] done = {0};
            for (ZipArchiveEntry e : Collections.list(zip.getEntriesInPhysicalOrder())) {
                String name = checkName(strictUtf8(e.getRawName()));
                int type = e.getPlatform() == ZipArchiveEntry.PLATFORM_UNIX ? e.getUnixMode() & TYPE_MASK : 0;
                if (e.isUnixSymlink() || type == SYMLINK_TYPE) {
                    throw Problem.BUNDLE_SYMLINK.because("Symbolic links are not allowed: " + name);
                } else if (e.isDirectory() || type == DIR_TYPE) {
                    stager.directory(name);
                } else if (type != 0 && type != FILE_TYPE) {
                    throw Problem.BUNDLE_SPECIAL_FILE.because("Only regular files and directories are allowed; " + name + " is not one");
                } else {
                    if (!ZIP_METHODS.contains(e.getMethod()) || !zip.canReadEntryData(e)) {
                        throw Problem.BUNDLE_UNREADABLE.because("Entry " + name + " uses encryption or a compression method Tailor cannot read");
                    }
                    try (InputStream in = zip.getInputStream(e)) {
                        LongSupplier compressed = in instanceof InputStreamStatistics s
                                ? () -> done[0] + s.getCompressedCount() : () -> Long.MAX_VALUE;
                        stager.file(name, in, compressed);
                        done[0] = compressed.getAsLong();
                    }
                }
            }
        }
    }

    /**
     * Decodes a tar name read as ISO-8859-1 strictly as UTF-8. Names from PAX headers arrive already decoded
     * (they may hold characters above U+00FF) and are kept as they are.
     */
    static String strictUtf8(String latin1) {
        if (latin1.chars().anyMatch(c -> c > 0xff)) {
            return latin1;
        }
        return strictUtf8(latin1.getBytes(StandardCharsets.ISO_8859_1));
    }

    static String strictUtf8(byte[] raw) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(raw)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw Problem.BUNDLE_BAD_NAME.because("An entry name is not valid UTF-8");
        }
    }

    /** Normalises an entry name to a clean relative path, or rejects it. */
    static String checkName(String raw) {
        if (raw == null || raw.isEmpty()) {
            throw Problem.BUNDLE_BAD_NAME.because("An entry has an empty name");
        }
        if (raw.indexOf('\uFFFD') >= 0) {
            throw Problem.BUNDLE_BAD_NAME.because("An entry name is not valid UTF-8");
        }
        if (raw.chars().anyMatch(c -> c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0))) {
            throw Problem.BUNDLE_BAD_NAME.because("An entry name contains control characters: " + printable(raw));
        }
        if (raw.startsWith("/") || raw.matches("^[A-Za-z]:.*") || raw.startsWith("\\")) {
            throw Problem.BUNDLE_PATH_TRAVERSAL.because("Entry names must be relative paths: " + printable(raw));
        }
        if (raw.contains("\\")) {
            throw Problem.BUNDLE_BAD_NAME.because("Entry names use '/' as the separator: " + printable(raw));
        }
        List<String> segments = new ArrayList<>();
        for (String s : raw.split("/")) {
            if (s.equals("..")) {
                throw Problem.BUNDLE_PATH_TRAVERSAL.because("Entry names must not contain '..': " + printable(raw));
            }
            if (!s.isEmpty() && !s.equals(".")) {
                if (s.getBytes(StandardCharsets.UTF_8).length > MAX_SEGMENT) {
                    throw Problem.BUNDLE_BAD_NAME.because("A path segment is longer than 255 bytes");
                }
                segments.add(s);
            }
        }
        String name = String.join("/", segments);
        if (name.length() > MAX_PATH) {
            throw Problem.BUNDLE_BAD_NAME.because("An entry name is longer than " + MAX_PATH + " characters");
        }
        return name;
    }

    private static SortedMap<String, Staged> stripCommonRoot(SortedMap<String, Staged> files) {
        if (files.containsKey(Manifest.FILE) || files.isEmpty()) {
            return files;
        }
        String first = files.firstKey();
        int slash = first.indexOf('/');
        if (slash <= 0) {
            return files;
        }
        String root = first.substring(0, slash + 1);
        if (!files.containsKey(root + Manifest.FILE) || !files.keySet().stream().allMatch(n -> n.startsWith(root))) {
            return files;
        }
        SortedMap<String, Staged> stripped = new TreeMap<>();
        files.forEach((n, s) -> stripped.put(n.substring(root.length()), s));
        return stripped;
    }

    private static void checkNoFileIsAlsoADirectory(SortedMap<String, Staged> files) {
        for (String name : files.keySet()) {
            for (int i = name.indexOf('/'); i > 0; i = name.indexOf('/', i + 1)) {
                if (files.containsKey(name.substring(0, i))) {
                    throw Problem.BUNDLE_DUPLICATE_ENTRY.because("'" + name.substring(0, i) + "' is both a file and a directory");
                }
            }
        }
    }

    private static void checkSources(Manifest manifest, java.util.Set<String> names) {
        List<String> errors = new ArrayList<>();
        for (String glob : manifest.sources()) {
            PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + glob);
            List<String> matched = names.stream().filter(n -> m.matches(Paths.get(n))).toList();
            if (matched.isEmpty()) {
                throw Problem.MANIFEST_SOURCES_UNMATCHED.because("The sources glob '" + glob + "' matches no file in the bundle");
            }
            matched.stream().filter(n -> SOURCE_SUFFIXES.stream().noneMatch(n::endsWith))
                    .forEach(n -> errors.add("sources glob '" + glob + "' matches " + n + ", which is not C (.c) or assembly (.S, .s)"));
        }
        for (String dir : manifest.include()) {
            String prefix = dir.endsWith("/") ? dir : dir + "/";
            if (names.stream().noneMatch(n -> n.startsWith(prefix))) {
                errors.add("include directory '" + dir + "' holds no file in the bundle");
            }
        }
        if (!errors.isEmpty()) {
            throw Problem.MANIFEST_INVALID.because("tailor.yaml is invalid: " + String.join("; ", errors))
                    .with("errors", errors);
        }
    }

    private static Digest writeCanonicalTar(SortedMap<String, Staged> files, Path tar) throws IOException {
        MessageDigest sha = Digest.sha256();
        try (OutputStream file = Files.newOutputStream(tar);
             DigestOutputStream digesting = new DigestOutputStream(new java.io.BufferedOutputStream(file, 65536), sha);
             TarArchiveOutputStream out = new TarArchiveOutputStream(digesting, StandardCharsets.UTF_8.name())) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            out.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            for (Map.Entry<String, Staged> f : files.entrySet()) {
                TarArchiveEntry e = new TarArchiveEntry(f.getKey(), true);
                e.setSize(f.getValue().size());
                e.setMode(FILE_TYPE | 0644);
                e.setModTime(0);
                e.setIds(0, 0);
                e.setNames("", "");
                out.putArchiveEntry(e);
                Files.copy(f.getValue().path(), out);
                out.closeArchiveEntry();
            }
            out.finish();
        }
        return Digest.of(sha.digest());
    }

    private static String printable(String s) {
        String p = s.replaceAll("[\\p{Cntrl}]", "?");
        return p.length() > 120 ? p.substring(0, 120) + "..." : p;
    }

    /** Copies entries to numbered files in the work directory, enforcing every limit while bytes flow. */
    private final class Stager {
        final Path dir;
        final SortedMap<String, Staged> files = new TreeMap<>();
        final java.util.Set<String> directories = new java.util.HashSet<>();
        int entries;
        long total;

        Stager(Path dir) {
            this.dir = dir;
        }

        void directory(String name) {
            count();
            if (name.isEmpty()) {
                return;
            }
            if (files.containsKey(name)) {
                throw Problem.BUNDLE_DUPLICATE_ENTRY.because("'" + name + "' appears twice in the archive");
            }
            directories.add(name);
        }

        void file(String name, InputStream in, LongSupplier compressedSoFar) throws IOException {
            count();
            if (name.isEmpty() || files.containsKey(name) || directories.contains(name)) {
                throw Problem.BUNDLE_DUPLICATE_ENTRY.because("'" + name + "' appears twice in the archive");
            }
            Path staged = dir.resolve("f" + files.size());
            long size = 0;
            byte[] buf = new byte[65536];
            try (OutputStream out = Files.newOutputStream(staged)) {
                for (int n; (n = in.read(buf)) > 0; ) {
                    size += n;
                    total += n;
                    if (size > limits.maxFile().toBytes()) {
                        throw Problem.BUNDLE_FILE_TOO_LARGE.because(name + " is larger than the limit of " + BundleLimits.human(limits.maxFile()));
                    }
                    if (total > limits.maxTotal().toBytes()) {
                        throw Problem.BUNDLE_TOO_LARGE.because("The archive unpacks to more than " + BundleLimits.human(limits.maxTotal()));
                    }
                    if (total > limits.ratioGrace().toBytes()
                            && total / Math.max(1, compressedSoFar.getAsLong()) > limits.maxRatio()) {
                        throw Problem.BUNDLE_COMPRESSION_BOMB.because("The archive inflates more than " + limits.maxRatio() + " times: refused as a compression bomb");
                    }
                    out.write(buf, 0, n);
                }
            }
            files.put(name, new Staged(staged, size));
        }

        private void count() {
            if (++entries > limits.maxEntries()) {
                throw Problem.BUNDLE_TOO_MANY_ENTRIES.because("The archive has more than " + limits.maxEntries() + " entries");
            }
        }
    }
}
