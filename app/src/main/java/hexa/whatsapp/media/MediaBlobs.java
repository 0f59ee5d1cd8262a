package hexa.whatsapp.media;

import java.util.Optional;

/**
 * Where media files live, encrypted at rest. Keys are relative paths of letters, digits, dots,
 * dashes and underscores ({@code <tenant id>/<message id>}); an implementation refuses anything else.
 * The filesystem is the default ({@link FilesystemMediaBlobs}); an object store can take its place.
 */
interface MediaBlobs {

    /** Stores the bytes under the key, replacing what was there; the stored form is encrypted. */
    void put(String key, byte[] bytes);

    /** The decrypted bytes, or empty when nothing is stored under the key. */
    Optional<byte[]> get(String key);

    /** Whether a blob is stored under the key. */
    boolean exists(String key);

    /** Removes the blob; removing a missing blob is not an error. */
    void delete(String key);
}
