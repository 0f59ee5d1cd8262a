package hexa.whatsapp.media;

import hexa.platform.config.HexaProperties;
import hexa.platform.crypto.SecretBox;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * Media blobs as files under {@code <data dir>/media/<tenant>/...}, each sealed with {@link SecretBox}
 * (AES-256-GCM under the master key, whose id the file names, so a key rotation still opens old files).
 * Files and directories are readable by the server's user only. A file is written beside its place
 * and moved in, so a crash never leaves half a file under a key.
 */
@Component
class FilesystemMediaBlobs implements MediaBlobs {

    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}(/[A-Za-z0-9][A-Za-z0-9._-]{0,127}){0,7}");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");

    private final Path root;
    private final SecretBox secrets;
    private final boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    FilesystemMediaBlobs(HexaProperties properties, SecretBox secrets) {
        this.root = properties.dataDir().toAbsolutePath().normalize().resolve("media");
        this.secrets = secrets;
    }

    @Override
    public void put(String key, byte[] bytes) {
        Path file = pathOf(key);
        byte[] sealed = secrets.seal(bytes).getBytes(StandardCharsets.US_ASCII);
        try {
            createDirectories(file.getParent());
            Path part = posix
                    ? Files.createTempFile(file.getParent(), ".part-", ".tmp", PosixFilePermissions.asFileAttribute(FILE))
                    : Files.createTempFile(file.getParent(), ".part-", ".tmp");
            try {
                Files.write(part, sealed);
                try {
                    Files.move(part, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(part, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(part);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not store media blob " + key, e);
        }
    }

    @Override
    public Optional<byte[]> get(String key) {
        Path file = pathOf(key);
        byte[] sealed;
        try {
            sealed = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read media blob " + key, e);
        }
        return Optional.of(secrets.open(new String(sealed, StandardCharsets.US_ASCII)));
    }

    @Override
    public boolean exists(String key) {
        return Files.isRegularFile(pathOf(key));
    }

    @Override
    public void delete(String key) {
        try {
            Files.deleteIfExists(pathOf(key));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not delete media blob " + key, e);
        }
    }

    /** Where a key's file is; for tests that look at what is on disk. */
    Path pathOf(String key) {
        if (key == null || !KEY.matcher(key).matches() || key.contains("..")) {
            throw new IllegalArgumentException("Not a media blob key: " + key);
        }
        Path file = root.resolve(key).normalize();
        if (!file.startsWith(root)) {
            throw new IllegalArgumentException("Not a media blob key: " + key);
        }
        return file;
    }

    private void createDirectories(Path directory) throws IOException {
        if (Files.isDirectory(directory)) {
            return;
        }
        createDirectories(directory.getParent());
        try {
            if (posix) {
                FileAttribute<Set<PosixFilePermission>> owner = PosixFilePermissions.asFileAttribute(DIRECTORY);
                Files.createDirectory(directory, owner);
            } else {
                Files.createDirectory(directory);
            }
        } catch (java.nio.file.FileAlreadyExistsException e) {
            // another download created it first
        }
    }
}
