package hexa.privacy;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * Erasing a person everywhere: the contact and everything that refers to it in every module (through each module's
 * {@link hexa.platform.privacy.PersonErasure}), an erasure certificate without personal data, and a line in the
 * {@link ErasureLedger}. Works in the current workspace; callers check {@code HANDLE_PERSONAL_DATA} (or act for an
 * approved public request).
 */
@Service
public class PersonErasures {

    /** What an erasure removed, when and by whom; kept without personal data. */
    public record Certificate(UUID id, UUID tenantId, Instant erasedAt, String erasedBy, String reason, Map<String, Long> removed) {
    }

    /**
     * Erases the contact now, in one transaction (its files are deleted in the background after the commit). A contact
     * on legal hold is refused with a conflict error; an unknown one is not found.
     *
     * @param reason why: "by a member", or the privacy request it answers
     */
    public Certificate erase(UUID contactId, String reason) {
        throw new UnsupportedOperationException("erasure is being built");
    }
}
