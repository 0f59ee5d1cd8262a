package hexa.privacy;

import hexa.contacts.ContactService;
import hexa.platform.config.HexaProperties;
import hexa.platform.tenant.Actor;
import hexa.platform.tenant.TenantContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Erasure survives a restore: {@code ./hexa restore} leaves {@code restored-from.json} ({@code {"takenAt": "…"}}) in the
 * restored data directory, with the erasure ledger copied beside the backups. At the first start after it, every
 * erasure the ledger holds from after the backup was taken is applied again: each contact of that workspace whose
 * identities hash to one of the erasure's hashes is erased (reason "erased again after a restore"). Then the marker
 * becomes {@code restored-from.applied.json}; when something failed it stays, and the next start tries again.
 */
@Component
class ErasuresAfterRestore {

    static final String MARKER = "restored-from.json";
    static final String APPLIED = "restored-from.applied.json";
    static final String REASON = "erased again after a restore";

    private static final Logger log = LoggerFactory.getLogger(ErasuresAfterRestore.class);

    private final HexaProperties properties;
    private final ErasureLedger ledger;
    private final ContactService contacts;
    private final PersonErasures erasures;
    private final JsonMapper json = JsonMapper.builder().build();

    ErasuresAfterRestore(HexaProperties properties, ErasureLedger ledger, ContactService contacts, PersonErasures erasures) {
        this.properties = properties;
        this.ledger = ledger;
        this.contacts = contacts;
        this.erasures = erasures;
    }

    @EventListener(ApplicationReadyEvent.class)
    void atStartup() {
        try {
            apply();
        } catch (RuntimeException e) {
            log.error("Erasures done after the restored backup could not all be applied again; the next start tries again", e);
        }
    }

    /** Applies again the erasures done after the restored backup, if this data directory was just restored; answers how many people were erased. */
    int apply() {
        Path marker = properties.dataDir().resolve(MARKER);
        if (!Files.exists(marker)) {
            return 0;
        }
        Instant takenAt;
        try {
            JsonNode read = json.readTree(Files.readString(marker));
            takenAt = Instant.parse(read.path("takenAt").asString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<UUID, Set<String>> hashesByWorkspace = new LinkedHashMap<>();
        for (ErasureLedger.Entry entry : ledger.after(takenAt)) {
            hashesByWorkspace.computeIfAbsent(entry.tenantId(), t -> new HashSet<>()).addAll(entry.hashes());
        }
        int erased = 0;
        for (Map.Entry<UUID, Set<String>> workspace : hashesByWorkspace.entrySet()) {
            erased += applyIn(workspace.getKey(), workspace.getValue());
        }
        try {
            Files.move(marker, marker.resolveSibling(APPLIED), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        log.info("Restored from a backup taken at {}: {} erasure(s) done since were applied again, {} person(s) erased", takenAt,
                hashesByWorkspace.values().stream().mapToInt(Set::size).sum(), erased);
        return erased;
    }

    private int applyIn(UUID tenant, Set<String> hashes) {
        try (var ignored = TenantContext.enter(Actor.system(tenant, "Erasure after a restore"))) {
            List<UUID> found = new ArrayList<>();
            contacts.identitiesOfAll().forEach((contact, identities) -> {
                if (identities.stream().anyMatch(identity -> hashes.contains(ledger.hash(tenant, identity)))) {
                    found.add(contact);
                }
            });
            for (UUID contact : found) {
                erasures.erase(contact, REASON, false);
            }
            return found.size();
        }
    }
}
