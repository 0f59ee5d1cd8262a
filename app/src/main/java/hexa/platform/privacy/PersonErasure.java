package hexa.platform.privacy;

import java.util.Map;

/**
 * Erasing one customer from a module: implemented by each module that holds customers' data (its
 * {@link PersonalData} declares the tables), called by the privacy module inside the erasure's transaction.
 */
public interface PersonErasure {

    /**
     * Removes (or anonymises, as declared) everything this module holds about the person, in the caller's transaction.
     * Files are deleted after the commit. Answers the rows removed or anonymised, per table, for the certificate.
     */
    Map<String, Long> erase(ErasedPerson person);

    /** Modules are erased in ascending order; the contacts module, which others' rows refer to, comes last. */
    default int order() {
        return 0;
    }
}
