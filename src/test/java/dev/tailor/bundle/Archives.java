package dev.tailor.bundle;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;

/** Builds test archives, including ones no honest tool would make. */
public final class Archives {

    public enum Kind { FILE, DIR, SYMLINK, HARDLINK, CHAR_DEVICE, FIFO }

    record Entry(String name, byte[] content, Kind kind, long mtime) {
    }

    private final List<Entry> entries = new ArrayList<>();
    private Charset nameCharset = StandardCharsets.UTF_8;

    public static Archives of() {
        return new Archives();
    }

    /** Every file under a directory (e.g. one of examples/), with paths relative to it. */
    public static Archives directory(java.nio.file.Path dir) {
        Archives a = of();
        try (var files = java.nio.file.Files.walk(dir)) {
            for (java.nio.file.Path p : (Iterable<java.nio.file.Path>) files.sorted()::iterator) {
                if (java.nio.file.Files.isRegularFile(p)) {
                    a.file(dir.relativize(p).toString(), java.nio.file.Files.readAllBytes(p));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return a;
    }

    /** The hello app: a manifest and one C file. */
    public static Archives hello(String app) {
        return of().file("tailor.yaml", "name: " + app + "\nversion: 1.0.0\nsources: [src/*.c]\n")
                .file("src/main.c", "int main(void) { return 0; }\n");
    }

    public Archives file(String name, String content) {
        return file(name, content.getBytes(StandardCharsets.UTF_8));
    }

    public Archives file(String name, byte[] content) {
        entries.add(new Entry(name, content, Kind.FILE, 1_700_000_000_000L + entries.size() * 1000L));
        return this;
    }

    public Archives fileAt(String name, String content, long mtime) {
        entries.add(new Entry(name, content.getBytes(StandardCharsets.UTF_8), Kind.FILE, mtime));
        return this;
    }

    public Archives special(String name, Kind kind) {
        entries.add(new Entry(name, new byte[0], kind, 0));
        return this;
    }

    public Archives nameCharset(Charset charset) {
        this.nameCharset = charset;
        return this;
    }

    public Archives reversed() {
        java.util.Collections.reverse(entries);
        return this;
    }

    public byte[] tar() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        writeTar(bytes);
        return bytes.toByteArray();
    }

    public byte[] tarGz() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            writeTar(gz);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public byte[] zip() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(bytes)) {
            zip.setEncoding(nameCharset.name());
            for (Entry e : entries) {
                ZipArchiveEntry z = new ZipArchiveEntry(e.kind() == Kind.DIR ? e.name() + "/" : e.name());
                z.setTime(e.mtime());
                switch (e.kind()) {
                    case SYMLINK -> z.setUnixMode(0120777);
                    case CHAR_DEVICE -> z.setUnixMode(0020644);
                    case FIFO -> z.setUnixMode(0010644);
                    case DIR -> z.setUnixMode(0040755);
                    default -> z.setUnixMode(0100644);
                }
                zip.putArchiveEntry(z);
                zip.write(e.content());
                zip.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private void writeTar(OutputStream out) {
        try {
            TarArchiveOutputStream tar = new TarArchiveOutputStream(out, nameCharset.name());
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Entry e : entries) {
                TarArchiveEntry t = switch (e.kind()) {
                    case FILE -> new TarArchiveEntry(e.name(), true);
                    case DIR -> new TarArchiveEntry(e.name() + "/", true);
                    case SYMLINK -> link(e.name(), TarConstants.LF_SYMLINK, "/etc/passwd");
                    case HARDLINK -> link(e.name(), TarConstants.LF_LINK, "tailor.yaml");
                    case CHAR_DEVICE -> link(e.name(), TarConstants.LF_CHR, null);
                    case FIFO -> link(e.name(), TarConstants.LF_FIFO, null);
                };
                t.setModTime(e.mtime());
                if (e.kind() == Kind.FILE) {
                    t.setSize(e.content().length);
                }
                tar.putArchiveEntry(t);
                if (e.kind() == Kind.FILE) {
                    tar.write(e.content());
                }
                tar.closeArchiveEntry();
            }
            tar.finish();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static TarArchiveEntry link(String name, byte type, String target) {
        TarArchiveEntry t = new TarArchiveEntry(name, type, true);
        if (target != null) {
            t.setLinkName(target);
        }
        return t;
    }
}
