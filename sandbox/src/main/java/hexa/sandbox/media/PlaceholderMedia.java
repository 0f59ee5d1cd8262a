package hexa.sandbox.media;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import javax.imageio.ImageIO;

/**
 * Small stand-in files for customer media sent without an upload (load runs, scripted tests), so the
 * CRM always has real bytes to download.
 */
public final class PlaceholderMedia {

    private PlaceholderMedia() {
    }

    public record File(String mimeType, String filename, byte[] bytes) {
    }

    public static File of(MediaKind kind) {
        switch (kind) {
            case IMAGE:
                return new File("image/jpeg", null, jpeg());
            case AUDIO:
                return new File("audio/ogg; codecs=opus", null, ascii("OggS\0\u0002sandbox-voice-note"));
            case VIDEO:
                return new File("video/mp4", null, ascii("\0\0\0\u0018ftypmp42sandbox-video"));
            case STICKER:
                return new File("image/webp", null, ascii("RIFF\u0020\0\0\0WEBPVP8L sandbox-sticker"));
            default:
                return new File("application/pdf", "document.pdf",
                        ascii("%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"));
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] jpeg() {
        BufferedImage image = new BufferedImage(96, 96, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(0x25D366));
        g.fillRect(0, 0, 96, 96);
        g.setColor(Color.WHITE);
        g.fillOval(24, 24, 48, 48);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "jpg", out);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }
}
