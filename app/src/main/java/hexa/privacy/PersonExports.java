package hexa.privacy;

import java.io.InputStream;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * A person's export: a job that gathers everything about a contact from every module (through each module's
 * {@link hexa.platform.privacy.PersonExport}) into a ZIP, with progress, downloadable for 24 hours. Works in the
 * current workspace; callers check {@code HANDLE_PERSONAL_DATA} (or act for an approved public request).
 */
@Service
public class PersonExports {

    /** An export job as its page and the API show it. */
    public record Job(UUID id, UUID contactId, String status, int percent, Instant requestedAt, Instant finishedAt, Instant expiresAt, String requestedBy) {
    }

    /** Starts exporting the contact for whoever acts now; answers the job. */
    public Job start(UUID contactId) {
        throw new UnsupportedOperationException("export is being built");
    }

    /** A job of the current workspace. */
    public Optional<Job> job(UUID id) {
        throw new UnsupportedOperationException("export is being built");
    }

    /** The finished ZIP of a job of the current workspace, while it has not expired. */
    public Optional<InputStream> open(UUID id) {
        throw new UnsupportedOperationException("export is being built");
    }
}
