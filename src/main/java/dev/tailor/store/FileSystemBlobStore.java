package dev.tailor.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Blobs as files under a root directory. A write goes to a temporary file in {@code .tmp/} on the same file
 * system, is fsynced, then renamed (or hard-linked, for put-if-absent) into place and the directory fsynced, so
 * a crash at any point leaves either the complete object or none. Leftover temporary files are removed at start.
 */
public final class FileSystemBlobStore implements BlobStore {

    private static final String TMP = ".tmp";

    private final Path root;
    private final Path tmp;

    public FileSystemBlobStore(Path root) {
        try {
            this.root = Files.createDirectories(root).toRealPath();
            this.tmp = Files.createDirectories(this.root.resolve(TMP));
            try (Stream<Path> leftovers = Files.list(tmp)) {
                for (Path p : (Iterable<Path>) leftovers::iterator) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            throw new BlobStoreException("cannot open blob store at " + root, e);
        }
    }

    public Path root() {
        return root;
    }

    @Override
    public BlobInfo put(String key, InputStream content) {
        Path target = path(key);
        Path temp = writeTemp(content);
        try {
            Files.createDirectories(target.getParent());
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDirectory(target.getParent());
            return info(key, target);
        } catch (IOException e) {
            throw new BlobStoreException("cannot store " + key, e);
        } finally {
            deleteQuietly(temp);
        }
    }

    @Override
    public Optional<BlobInfo> putIfAbsent(String key, InputStream content) {
        Path target = path(key);
        if (Files.exists(target)) {
            return Optional.empty();
        }
        Path temp = writeTemp(content);
        try {
            Files.createDirectories(target.getParent());
            // link(2) fails atomically when the name exists, unlike a check followed by a rename.
            Files.createLink(target, temp);
            syncDirectory(target.getParent());
            return Optional.of(info(key, target));
        } catch (FileAlreadyExistsException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new BlobStoreException("cannot store " + key, e);
        } finally {
            deleteQuietly(temp);
        }
    }

    @Override
    public Optional<InputStream> get(String key) {
        try {
            return Optional.of(Files.newInputStream(path(key)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new BlobStoreException("cannot read " + key, e);
        }
    }

    @Override
    public Optional<BlobInfo> head(String key) {
        Path p = path(key);
        try {
            return Files.isRegularFile(p) ? Optional.of(info(key, p)) : Optional.empty();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new BlobStoreException("cannot stat " + key, e);
        }
    }

    @Override
    public Optional<Path> localFile(String key) {
        Path p = path(key);
        return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
    }

    @Override
    public List<BlobInfo> list(String prefix) {
        BlobKey.checkPrefix(prefix);
        // Walk only the deepest directory the prefix names, not the whole store.
        int slash = prefix.lastIndexOf('/');
        Path start = slash < 0 ? root : root.resolve(prefix.substring(0, slash));
        if (!Files.isDirectory(start)) {
            return List.of();
        }
        List<BlobInfo> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(start)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                if (p.startsWith(tmp) || !Files.isRegularFile(p)) {
                    continue;
                }
                String key = root.relativize(p).toString();
                if (key.startsWith(prefix)) {
                    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                    out.add(new BlobInfo(key, a.size(), a.lastModifiedTime().toInstant()));
                }
            }
        } catch (NoSuchFileException e) {
            // a directory vanished under a concurrent delete: list what was seen
        } catch (IOException | UncheckedIOException e) {
            throw new BlobStoreException("cannot list " + prefix, e);
        }
        out.sort(Comparator.comparing(BlobInfo::key));
        return out;
    }

    @Override
    public boolean delete(String key) {
        try {
            return Files.deleteIfExists(path(key));
        } catch (IOException e) {
            throw new BlobStoreException("cannot delete " + key, e);
        }
    }

    private Path path(String key) {
        return root.resolve(BlobKey.check(key));
    }

    private Path writeTemp(InputStream content) {
        Path temp = tmp.resolve(UUID.randomUUID().toString());
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            byte[] buf = new byte[64 * 1024];
            while (true) {
                int n;
                try {
                    n = content.read(buf);
                } catch (IOException e) {
                    throw new UncheckedIOException("the content stream failed", e);
                }
                if (n < 0) {
                    break;
                }
                ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
                while (bb.hasRemaining()) {
                    out.write(bb);
                }
            }
            out.force(true);
            return temp;
        } catch (IOException e) {
            deleteQuietly(temp);
            throw new BlobStoreException("cannot write to the blob store", e);
        } catch (RuntimeException e) {
            deleteQuietly(temp);
            throw e;
        }
    }

    private static BlobInfo info(String key, Path p) throws IOException {
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
        return new BlobInfo(key, a.size(), a.lastModifiedTime().toInstant());
    }

    private static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // removed at the next start
        }
    }
}
