package hexa.platform.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hexa.platform.config.HexaProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretBoxTest {

    @Test
    void a_sealed_secret_opens_to_itself_and_does_not_contain_it() {
        SecretBox box = new SecretBox(MasterKeys.of(List.of(MasterKeys.newRawKey())));

        String sealed = box.seal("EAAG-system-user-token");

        assertThat(sealed).startsWith("v1.").doesNotContain("EAAG");
        assertThat(box.openString(sealed)).isEqualTo("EAAG-system-user-token");
        assertThat(box.seal("EAAG-system-user-token")).as("a fresh nonce every time").isNotEqualTo(sealed);
    }

    @Test
    void each_sealed_value_names_its_key_so_keys_can_be_rotated() {
        byte[] oldKey = MasterKeys.newRawKey();
        byte[] newKey = MasterKeys.newRawKey();
        String sealedUnderOld = new SecretBox(MasterKeys.of(List.of(oldKey))).seal("app-secret");

        SecretBox rotated = new SecretBox(MasterKeys.of(List.of(newKey, oldKey)));

        assertThat(sealedUnderOld.split("\\.")[1]).isEqualTo(MasterKeys.idOf(oldKey));
        assertThat(rotated.openString(sealedUnderOld)).isEqualTo("app-secret");
        assertThat(rotated.needsResealing(sealedUnderOld)).isTrue();
        assertThat(rotated.needsResealing(rotated.seal("x"))).isFalse();
        assertThatThrownBy(() -> new SecretBox(MasterKeys.of(List.of(newKey))).openString(sealedUnderOld))
                .isInstanceOf(SecretBox.SecretUnreadableException.class).hasMessageContaining("not configured");
    }

    @Test
    void a_tampered_secret_is_refused() {
        SecretBox box = new SecretBox(MasterKeys.of(List.of(MasterKeys.newRawKey())));
        String sealed = box.seal("totp-seed");
        char last = sealed.charAt(sealed.length() - 2);
        String tampered = sealed.substring(0, sealed.length() - 2) + (last == 'A' ? 'B' : 'A') + sealed.charAt(sealed.length() - 1);

        assertThatThrownBy(() -> box.open(tampered)).isInstanceOf(SecretBox.SecretUnreadableException.class);
        assertThatThrownBy(() -> box.open("plain text")).isInstanceOf(SecretBox.SecretUnreadableException.class);
    }

    @Test
    void without_a_configured_key_one_is_created_readable_by_its_owner_only_and_reused(@TempDir Path dataDir) throws Exception {
        HexaProperties properties = properties(dataDir, null);

        String sealed = new SecretBox(MasterKeys.load(properties)).seal("secret");
        Path keyFile = dataDir.resolve("master.key");

        assertThat(Files.getPosixFilePermissions(keyFile)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Base64.getDecoder().decode(Files.readString(keyFile).trim())).hasSize(32);
        assertThat(new SecretBox(MasterKeys.load(properties)).openString(sealed)).as("the next start reads the same key").isEqualTo("secret");
    }

    @Test
    void a_configured_key_must_be_32_bytes_of_base64(@TempDir Path dataDir) {
        assertThatThrownBy(() -> MasterKeys.load(properties(dataDir, "too-short")))
                .hasMessageContaining("openssl rand -base64 32");
        String good = Base64.getEncoder().encodeToString(MasterKeys.newRawKey());
        assertThat(new SecretBox(MasterKeys.load(properties(dataDir, good))).openString(new SecretBox(MasterKeys.load(properties(dataDir, good))).seal("x"))).isEqualTo("x");
        assertThat(Files.exists(dataDir.resolve("master.key"))).as("no key file when the key is configured").isFalse();
    }

    private static HexaProperties properties(Path dataDir, String masterKey) {
        return new HexaProperties(8080, dataDir, null, masterKey, List.of(), null, false, java.time.Duration.ofHours(2),
                3, 10, 50, java.time.Duration.ofMinutes(15), java.time.Duration.ofMinutes(15), java.time.Duration.ofSeconds(30),
                new HexaProperties.Smtp(null, 587, null, null, "x@y.z", true));
    }
}
