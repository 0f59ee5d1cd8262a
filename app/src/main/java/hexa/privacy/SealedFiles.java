package hexa.privacy;

import hexa.platform.crypto.SecretBox;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Files encrypted at rest as a series of chunks, each sealed with the app's {@link SecretBox} (AES-256-GCM under the
 * master key), so that a file of any size is written and read a chunk at a time. A chunk's plaintext starts with its
 * number and whether it is the last one: a chunk moved, dropped or cut off makes the file unreadable rather than
 * shorter. On disk: for each chunk, its sealed form's length (4 bytes) and the sealed form (ASCII).
 */
final class SealedFiles {

    static final int CHUNK = 256 * 1024;

    private SealedFiles() {
    }

    static OutputStream writer(OutputStream file, SecretBox box) {
        return new Writer(file, box);
    }

    static InputStream reader(InputStream file, SecretBox box) {
        return new Reader(file, box);
    }

    private static final class Writer extends OutputStream {
        private final DataOutputStream out;
        private final SecretBox box;
        private final byte[] buffer = new byte[CHUNK];
        private int filled;
        private long number;
        private boolean closed;

        Writer(OutputStream file, SecretBox box) {
            this.out = new DataOutputStream(file);
            this.box = box;
        }

        @Override
        public void write(int b) throws IOException {
            if (filled == CHUNK) {
                seal(false);
            }
            buffer[filled++] = (byte) b;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            while (length > 0) {
                if (filled == CHUNK) {
                    seal(false);
                }
                int n = Math.min(length, CHUNK - filled);
                System.arraycopy(bytes, offset, buffer, filled, n);
                filled += n;
                offset += n;
                length -= n;
            }
        }

        private void seal(boolean last) throws IOException {
            byte[] plain = ByteBuffer.allocate(9 + filled).putLong(number++).put((byte) (last ? 1 : 0)).put(buffer, 0, filled).array();
            byte[] sealed = box.seal(plain).getBytes(StandardCharsets.US_ASCII);
            out.writeInt(sealed.length);
            out.write(sealed);
            filled = 0;
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            seal(true);
            out.close();
        }
    }

    private static final class Reader extends InputStream {
        private final DataInputStream in;
        private final SecretBox box;
        private byte[] chunk = new byte[0];
        private int position;
        private long expected;
        private boolean last;

        Reader(InputStream file, SecretBox box) {
            this.in = new DataInputStream(file);
            this.box = box;
        }

        private boolean fill() throws IOException {
            while (position == chunk.length) {
                if (last) {
                    return false;
                }
                int length;
                try {
                    length = in.readInt();
                } catch (EOFException e) {
                    throw new IOException("The sealed file is cut off");
                }
                if (length <= 0 || length > CHUNK * 2) {
                    throw new IOException("Not a sealed file");
                }
                byte[] sealed = in.readNBytes(length);
                if (sealed.length != length) {
                    throw new IOException("The sealed file is cut off");
                }
                ByteBuffer plain;
                try {
                    plain = ByteBuffer.wrap(box.open(new String(sealed, StandardCharsets.US_ASCII)));
                } catch (SecretBox.SecretUnreadableException e) {
                    throw new IOException("The sealed file was altered or its key is gone", e);
                }
                if (plain.getLong() != expected++) {
                    throw new IOException("The sealed file's chunks are out of order");
                }
                last = plain.get() == 1;
                chunk = Arrays.copyOfRange(plain.array(), 9, plain.limit());
                position = 0;
            }
            return true;
        }

        @Override
        public int read() throws IOException {
            return fill() ? chunk[position++] & 0xff : -1;
        }

        @Override
        public int read(byte[] bytes, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            if (!fill()) {
                return -1;
            }
            int n = Math.min(length, chunk.length - position);
            System.arraycopy(chunk, position, bytes, offset, n);
            position += n;
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
