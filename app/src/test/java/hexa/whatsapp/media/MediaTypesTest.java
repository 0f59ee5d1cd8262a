package hexa.whatsapp.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

/** A file's type is what its bytes are, among the types WhatsApp accepts. */
class MediaTypesTest {

    @Test
    void images_stickers_sound_and_video_are_told_by_their_signatures() {
        assertThat(sniff("\u00ff\u00d8\u00ff\u00db", null, null)).isEqualTo("image/jpeg");
        assertThat(sniff("\u0089PNG\r\n\u001a\n", "image/jpeg", "a.jpg")).isEqualTo("image/png");
        assertThat(sniff("RIFF\u0000\u0000\u0000\u0000WEBPVP8 ", null, null)).isEqualTo("image/webp");
        assertThat(sniff("OggS" + "\u0000".repeat(24) + "OpusHead", null, null)).isEqualTo("audio/ogg");
        assertThat(sniff("OggS" + "\u0000".repeat(24) + "\u0001vorbis", "audio/ogg", null)).as("Ogg without Opus").isNull();
        assertThat(sniff("#!AMR\n", null, null)).isEqualTo("audio/amr");
        assertThat(sniff("ID3\u0004", null, null)).isEqualTo("audio/mpeg");
        assertThat(sniff("\u00ff\u00fb\u0090", null, null)).as("an MP3 frame").isEqualTo("audio/mpeg");
        assertThat(sniff("\u00ff\u00f1\u0050", null, null)).as("an ADTS frame").isEqualTo("audio/aac");
        assertThat(sniff("\u0000\u0000\u0000\u0018ftypisom", null, null)).isEqualTo("video/mp4");
        assertThat(sniff("\u0000\u0000\u0000\u0018ftypisom", "audio/mp4", "voice.m4a")).isEqualTo("audio/mp4");
        assertThat(sniff("\u0000\u0000\u0000\u0018ftypM4A ", "video/mp4", null)).isEqualTo("audio/mp4");
        assertThat(sniff("\u0000\u0000\u0000\u0014ftyp3gp5", null, null)).isEqualTo("video/3gpp");
        assertThat(sniff("\u0000\u0000\u0000\u0014ftypqt  ", "video/mp4", null)).as("QuickTime").isNull();
        assertThat(sniff("GIF89a", "image/gif", null)).isNull();
    }

    @Test
    void documents_are_told_by_their_content_and_old_office_files_by_their_name() throws IOException {
        assertThat(sniff("%PDF-1.7\n", "text/plain", "x.txt")).isEqualTo("application/pdf");
        String ole = "\u00d0\u00cf\u0011\u00e0\u00a1\u00b1\u001a\u00e1";
        assertThat(sniff(ole, "application/octet-stream", "budget.xls")).isEqualTo("application/vnd.ms-excel");
        assertThat(sniff(ole, "application/msword", "x")).isEqualTo("application/msword");
        assertThat(sniff(ole, null, "mystery.bin")).isNull();
        assertThat(MediaTypes.sniff(zip("[Content_Types].xml", "word/document.xml"), null, null))
                .hasValue("application/vnd.openxmlformats-officedocument.wordprocessingml.document");
        assertThat(MediaTypes.sniff(zip("[Content_Types].xml", "ppt/presentation.xml"), null, null))
                .hasValue("application/vnd.openxmlformats-officedocument.presentationml.presentation");
        assertThat(MediaTypes.sniff(zip("[Content_Types].xml", "xl/workbook.xml"), null, null))
                .hasValue("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        assertThat(MediaTypes.sniff(zip("photos/one.jpg"), "application/zip", "photos.zip")).as("a plain ZIP").isEmpty();
    }

    @Test
    void plain_text_must_be_declared_and_be_text_not_markup() {
        byte[] text = "Order 42: 3 × chai\r\n".getBytes(StandardCharsets.UTF_8);
        assertThat(MediaTypes.sniff(text, "text/plain", "order.txt")).hasValue("text/plain");
        assertThat(MediaTypes.sniff(text, null, "order.txt")).hasValue("text/plain");
        assertThat(MediaTypes.sniff(text, "image/jpeg", "order.jpg")).isEmpty();
        assertThat(MediaTypes.sniff("  <html><body>hi".getBytes(StandardCharsets.UTF_8), "text/plain", "a.txt")).isEmpty();
        assertThat(MediaTypes.sniff(new byte[] {'a', 0, 'b'}, "text/plain", "a.txt")).isEmpty();
        assertThat(MediaTypes.sniff(new byte[] {(byte) 0xc3, (byte) 0x28}, "text/plain", "a.txt")).as("not UTF-8").isEmpty();
    }

    @Test
    void the_claim_and_the_content_must_be_the_same_sort_of_thing() {
        assertThat(MediaTypes.sameFamily("image/jpg", "image/png")).isTrue();
        assertThat(MediaTypes.sameFamily("audio/x-m4a", "audio/mp4")).isTrue();
        assertThat(MediaTypes.sameFamily("text/plain", "application/pdf")).isTrue();
        assertThat(MediaTypes.sameFamily("image/jpeg", "application/pdf")).isFalse();
        assertThat(MediaTypes.sameFamily("video/mp4", "audio/mp4")).isFalse();
        assertThat(MediaTypes.isClaim("application/octet-stream")).isFalse();
        assertThat(MediaTypes.isClaim(null)).isFalse();
        assertThat(MediaTypes.isClaim("image/jpeg; charset=binary")).isTrue();
    }

    @Test
    void an_animated_webp_is_recognised_by_its_header() {
        assertThat(MediaTypes.isAnimatedWebp(bytes("RIFF\u0000\u0000\u0000\u0000WEBPVP8X\n\u0000\u0000\u0000\u0002"))).isTrue();
        assertThat(MediaTypes.isAnimatedWebp(bytes("RIFF\u0000\u0000\u0000\u0000WEBPVP8X\n\u0000\u0000\u0000\u0010"))).isFalse();
        assertThat(MediaTypes.isAnimatedWebp(bytes("RIFF\u0000\u0000\u0000\u0000WEBPVP8L"))).isFalse();
    }

    private static String sniff(String signature, String declared, String filename) {
        byte[] bytes = new byte[64];
        byte[] head = bytes(signature);
        System.arraycopy(head, 0, bytes, 0, head.length);
        return MediaTypes.sniff(bytes, declared, filename).orElse(null);
    }

    private static byte[] bytes(String latin1) {
        return latin1.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] zip(String... entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (String entry : entries) {
                zip.putNextEntry(new ZipEntry(entry));
                zip.write("<x/>".getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }
}
