package hexa.privacy.backups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The backup file's encryption: what it gives back, and every way a file can be tampered with that it refuses. */
class BackupCipherTest {

    private static final int HEADER = 8 + 2 + 8 + 8 + 32;
    private final byte[] key = new byte[32];

    BackupCipherTest() {
        new Random(1).nextBytes(key);
    }

    @Test
    void what_goes_in_comes_out_in_chunks_and_the_header_names_the_key_not_the_key() throws IOException {
        byte[] plain = bytes(BackupCipher.CHUNK * 2 + 12_345);
        Instant at = Instant.parse("2026-12-07T03:00:00Z");
        byte[] file = encrypt(plain, at);
        assertThat(decrypt(file, key)).isEqualTo(plain);
        BackupCipher.Header header = BackupCipher.header(new ByteArrayInputStream(file));
        assertThat(header.keyId()).isEqualTo(BackupCipher.keyId(key)).hasSize(8);
        assertThat(header.takenAt()).isEqualTo(at);
        assertThat(RestoreDrillTest.indexOf(file, Arrays.copyOfRange(plain, 5000, 5032))).isEqualTo(-1);
        assertThat(RestoreDrillTest.indexOf(file, key)).isEqualTo(-1);
        assertThat(encrypt(plain, at)).as("a new file key and nonces every time").isNotEqualTo(file);
    }

    @Test
    void a_file_cut_between_two_chunks_is_refused() throws IOException {
        byte[] plain = bytes(BackupCipher.CHUNK + 1);
        byte[] file = encrypt(plain, Instant.now());
        assertThat(decrypt(file, key)).isEqualTo(plain);
        int firstChunkEnd = HEADER + 4 + BackupCipher.CHUNK + 16;
        assertThat(file.length).as("a last chunk of one byte follows").isEqualTo(firstChunkEnd + 4 + 1 + 16);
        assertThatThrownBy(() -> decrypt(Arrays.copyOf(file, firstChunkEnd), key)).isInstanceOf(BackupRefused.class).hasMessageContaining("cut short");
        assertThatThrownBy(() -> decrypt(Arrays.copyOf(file, HEADER), key)).isInstanceOf(BackupRefused.class).hasMessageContaining("cut short");
        assertThatThrownBy(() -> decrypt(Arrays.copyOf(file, HEADER - 1), key)).isInstanceOf(BackupRefused.class).hasMessageContaining("cut short");
    }

    @Test
    void chunks_swapped_a_header_changed_bytes_appended_or_another_key_are_refused() throws IOException {
        byte[] plain = bytes(BackupCipher.CHUNK * 2 + 10);
        byte[] file = encrypt(plain, Instant.now());
        int chunk = 4 + BackupCipher.CHUNK + 16;
        byte[] swapped = file.clone();
        System.arraycopy(file, HEADER, swapped, HEADER + chunk, chunk);
        System.arraycopy(file, HEADER + chunk, swapped, HEADER, chunk);
        assertThatThrownBy(() -> decrypt(swapped, key)).isInstanceOf(BackupRefused.class).hasMessageContaining("altered");

        byte[] retimed = file.clone();
        ByteBuffer.wrap(retimed).putLong(8 + 2 + 8, 0L);
        assertThatThrownBy(() -> decrypt(retimed, key)).isInstanceOf(BackupRefused.class).hasMessageContaining("altered");

        byte[] longer = Arrays.copyOf(file, file.length + 1);
        assertThatThrownBy(() -> decrypt(longer, key)).isInstanceOf(BackupRefused.class).hasMessageContaining("after its last chunk");

        byte[] lastNotLast = file.clone();
        int lastLength = HEADER + 2 * chunk;
        lastNotLast[lastLength] &= 0x7f;
        assertThatThrownBy(() -> decrypt(lastNotLast, key)).isInstanceOf(BackupRefused.class);

        byte[] other = key.clone();
        other[0] ^= 1;
        assertThatThrownBy(() -> decrypt(file, other)).isInstanceOf(BackupRefused.class).hasMessageContaining("not with the key given");
        assertThatThrownBy(() -> decrypt("not a backup at all, just text".getBytes(), key)).isInstanceOf(BackupRefused.class)
                .hasMessageContaining("not a Hexa CRM backup");
    }

    private byte[] encrypt(byte[] plain, Instant at) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream encrypting = BackupCipher.encrypt(out, key, at)) {
            encrypting.write(plain);
        }
        return out.toByteArray();
    }

    private static byte[] decrypt(byte[] file, byte[] key) throws IOException {
        try (InputStream in = BackupCipher.decrypt(new ByteArrayInputStream(file), key)) {
            return in.readAllBytes();
        }
    }

    private static byte[] bytes(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }
}
