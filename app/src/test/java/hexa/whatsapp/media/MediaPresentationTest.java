package hexa.whatsapp.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/** What a browser is told about a customer's file: shown only when it is plain media, otherwise a download of bytes. */
class MediaPresentationTest {

    @Test
    void plain_images_audio_video_and_stickers_are_shown_inline_under_their_own_type() {
        assertThat(MediaPresentation.of("image", "image/jpeg", null)).isEqualTo(new MediaPresentation(MediaType.IMAGE_JPEG, "inline"));
        assertThat(MediaPresentation.of("sticker", "image/webp", null).contentDisposition()).isEqualTo("inline");
        assertThat(MediaPresentation.of("audio", "audio/ogg; codecs=opus", null).contentType().toString()).isEqualTo("audio/ogg;codecs=opus");
        assertThat(MediaPresentation.of("video", "video/mp4", null).contentDisposition()).isEqualTo("inline");
    }

    @Test
    void anything_a_browser_could_run_is_a_download_of_bytes() {
        for (String type : new String[] {"text/html", "TEXT/HTML; charset=utf-8", "image/svg+xml", "application/xhtml+xml", "text/xml",
                "application/xml", "application/javascript", "text/javascript", "text/css", "multipart/mixed; boundary=x", "*/*",
                "not a type", "", null}) {
            for (String kind : new String[] {"image", "document", "video"}) {
                MediaPresentation presentation = MediaPresentation.of(kind, type, "x.html");
                assertThat(presentation.contentType()).as(kind + " " + type).isEqualTo(MediaType.APPLICATION_OCTET_STREAM);
                assertThat(presentation.contentDisposition()).as(kind + " " + type).startsWith("attachment;");
            }
        }
    }

    @Test
    void documents_are_downloads_even_when_their_type_could_be_shown() {
        MediaPresentation pdf = MediaPresentation.of("document", "application/pdf", "Invoice 42.pdf");
        assertThat(pdf.contentType()).isEqualTo(MediaType.APPLICATION_PDF);
        assertThat(pdf.contentDisposition()).isEqualTo("attachment; filename=\"Invoice 42.pdf\"; filename*=UTF-8''Invoice%2042.pdf");
        assertThat(MediaPresentation.of("document", "image/png", "scan.png").contentDisposition()).startsWith("attachment;");
    }

    @Test
    void a_customers_filename_becomes_a_plain_name() {
        assertThat(MediaPresentation.safeFilename("../../etc/passwd", "document", "")).isEqualTo("passwd");
        assertThat(MediaPresentation.safeFilename("C:\\Users\\x\\report.docx", "document", "")).isEqualTo("report.docx");
        assertThat(MediaPresentation.safeFilename("a\"b;c\r\nSet-Cookie: x=1.pdf", "document", "")).isEqualTo("a_b_c_Set-Cookie_x_1.pdf");
        assertThat(MediaPresentation.safeFilename(".htaccess", "document", "")).isEqualTo("htaccess");
        assertThat(MediaPresentation.safeFilename("CON.txt", "document", "")).isEqualTo("file-CON.txt");
        assertThat(MediaPresentation.safeFilename("...", "document", "application/pdf")).isEqualTo("document.pdf");
        assertThat(MediaPresentation.safeFilename(null, "image", "image/jpeg")).isEqualTo("image.jpg");
        assertThat(MediaPresentation.safeFilename("x".repeat(300) + ".pdf", "document", "")).hasSize(120).endsWith(".pdf");
        assertThat(MediaPresentation.safeFilename("बिल मार्च.pdf", "document", "")).as("letters of every script stay").isEqualTo("बिल मार्च.pdf");
    }

    @Test
    void a_name_outside_ascii_is_given_in_both_forms() {
        String header = MediaPresentation.attachment("Preisliste_Ä.pdf");
        assertThat(header).isEqualTo("attachment; filename=\"Preisliste__.pdf\"; filename*=UTF-8''Preisliste_%C3%84.pdf");
    }

    @Test
    void failed_downloads_wait_longer_each_time_up_to_the_maximum() {
        MediaSettings settings = new MediaSettings(Duration.ofSeconds(1), 2, Duration.ofSeconds(2), Duration.ofHours(1), 12, Duration.ofMinutes(10));
        assertThat(settings.delayAfter(1)).isEqualTo(Duration.ofSeconds(2));
        assertThat(settings.delayAfter(2)).isEqualTo(Duration.ofSeconds(8));
        assertThat(settings.delayAfter(3)).isEqualTo(Duration.ofSeconds(32));
        assertThat(settings.delayAfter(9)).isEqualTo(Duration.ofHours(1));
        assertThat(settings.delayAfter(100)).isEqualTo(Duration.ofHours(1));
    }
}
