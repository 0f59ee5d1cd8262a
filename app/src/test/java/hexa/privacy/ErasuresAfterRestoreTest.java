package hexa.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.identity.Fixtures;
import hexa.platform.config.HexaProperties;
import hexa.support.HexaIntegrationTest;
import hexa.support.SandboxCustomer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Erasure survives a restore: after a restore (the marker with the backup's time in the data directory), the people
 * erased after that backup was taken, as the ledger knows them (hashes only), are erased again, and only they.
 */
class ErasuresAfterRestoreTest extends HexaIntegrationTest {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ErasureLedger ledger;

    @Autowired
    ErasuresAfterRestore afterRestore;

    @Autowired
    HexaProperties properties;

    @Autowired
    LegalHolds holds;

    @AfterEach
    void noMarkerLeft() throws Exception {
        Files.deleteIfExists(properties.dataDir().resolve(ErasuresAfterRestore.MARKER));
        Files.deleteIfExists(properties.dataDir().resolve(ErasuresAfterRestore.APPLIED));
    }

    @Test
    void the_people_erased_after_the_backup_was_taken_are_erased_again_and_nobody_else() throws Exception {
        Fixtures.SandboxWorkspace shop = fixtures.withSandboxNumber("Restored Co");
        SandboxCustomer customers = shop.customer();
        String base = "4915" + ThreadLocalRandom.current().nextInt(1_000_000, 9_999_999);
        String erasedAfter = base + "1";
        String erasedBefore = base + "2";
        String kept = base + "3";
        String erasedHeld = base + "4";
        for (String waId : List.of(erasedAfter, erasedBefore, kept, erasedHeld)) {
            customers.writes(waId, "Hello from " + waId, "Person " + waId);
        }
        UUID heldContact = contactOf(shop, erasedHeld);
        try (var ignored = fixtures.actAsOwner(shop.workspace())) {
            holds.hold(heldContact, "Person", "Held when the backup was taken");
        }
        Instant takenAt = clock.instant().minus(Duration.ofHours(1));
        // What the ledger says happened around the backup (as the restore copies it): one erasure before it, two after.
        ledger.append(takenAt.minus(Duration.ofDays(1)), shop.id(), UUID.randomUUID(), List.of(erasedBefore));
        ledger.append(takenAt.plus(Duration.ofMinutes(5)), shop.id(), UUID.randomUUID(), List.of(erasedAfter, "15550000000"));
        ledger.append(takenAt.plus(Duration.ofMinutes(9)), shop.id(), UUID.randomUUID(), List.of(erasedHeld));
        Path marker = properties.dataDir().resolve(ErasuresAfterRestore.MARKER);
        Files.writeString(marker, "{\"takenAt\":\"" + takenAt + "\"}");

        int erased = afterRestore.apply();

        assertThat(erased).isEqualTo(2);
        assertThat(contactExists(shop, erasedAfter)).isFalse();
        assertThat(contactExists(shop, erasedHeld)).as("a hold the backup still has was released before the erasure").isFalse();
        assertThat(contactExists(shop, erasedBefore)).as("erased before the backup: the backup's own business").isTrue();
        assertThat(contactExists(shop, kept)).isTrue();
        assertThat(jdbc.sql("select count(*) from messages where tenant_id = :t").param("t", shop.id()).query(Long.class).single()).isEqualTo(2);
        assertThat(jdbc.sql("select reason from privacy_erasures where tenant_id = :t").param("t", shop.id()).query(String.class).list())
                .containsExactly(ErasuresAfterRestore.REASON, ErasuresAfterRestore.REASON);
        assertThat(marker).doesNotExist();
        assertThat(properties.dataDir().resolve(ErasuresAfterRestore.APPLIED)).exists();
        assertThat(afterRestore.apply()).as("applied once").isZero();
    }

    private boolean contactExists(Fixtures.SandboxWorkspace shop, String waId) {
        return jdbc.sql("select count(*) from contacts where tenant_id = :t and wa_id = :w").param("t", shop.id()).param("w", waId)
                .query(Long.class).single() > 0;
    }

    private UUID contactOf(Fixtures.SandboxWorkspace shop, String waId) {
        return jdbc.sql("select id from contacts where tenant_id = :t and wa_id = :w").param("t", shop.id()).param("w", waId).query(UUID.class).single();
    }
}
