package hexa.platform.privacy;

import java.io.IOException;
import java.io.InputStream;
import java.util.UUID;

/**
 * A module's part of a customer's export: implemented by each module that holds customers' data, called by the
 * privacy module's export job, which writes the parts into the ZIP.
 */
public interface PersonExport {

    /** Writes what this module holds about the contact into the export. */
    void export(UUID tenantId, UUID contactId, Sink sink) throws IOException;

    /** Where a module writes its part. Paths are relative, with forward slashes ({@code messages.json}, {@code media/…}). */
    interface Sink {

        /** A JSON document (a record, a list or a map, written with the app's JSON settings). */
        void json(String path, Object value) throws IOException;

        /** A file, copied from the stream. */
        void file(String path, InputStream content) throws IOException;

        /** Reports progress: this module has done {@code done} of {@code total} items. */
        default void progress(long done, long total) {
        }
    }
}
