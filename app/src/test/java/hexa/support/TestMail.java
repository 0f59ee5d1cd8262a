package hexa.support;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.GreenMailUtil;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A real SMTP server on loopback that keeps what it is sent, one for the test run, for the tuned server to mail to. */
public final class TestMail {

    private static GreenMail server;

    private TestMail() {
    }

    public static synchronized GreenMail server() {
        if (server == null) {
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            GreenMail started = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
            started.start();
            Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "test-mail-stop"));
            server = started;
        }
        return server;
    }

    /** The mails received so far for {@code address}, in the order they came. */
    public static List<MimeMessage> to(String address) {
        return Arrays.stream(server().getReceivedMessages()).filter(m -> addressedTo(m, address)).toList();
    }

    /** Waits until {@code address} has received {@code count} mails, and answers the last of them. */
    public static MimeMessage awaitMail(String address, int count) {
        return Eventually.present(() -> {
            List<MimeMessage> mails = to(address);
            return mails.size() >= count ? Optional.of(mails.get(count - 1)) : Optional.empty();
        }, "mail number " + count + " to " + address);
    }

    public static String body(MimeMessage mail) {
        return GreenMailUtil.getBody(mail);
    }

    public static String subject(MimeMessage mail) {
        try {
            return mail.getSubject();
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first link in the mail whose path starts with {@code pathStart}. */
    public static String link(MimeMessage mail, String pathStart) {
        Matcher matcher = Pattern.compile("(https?://[^/\\s]+" + Pattern.quote(pathStart) + "\\S+)").matcher(body(mail));
        if (!matcher.find()) {
            throw new AssertionError("No link to " + pathStart + " in the mail: " + body(mail));
        }
        return matcher.group(1);
    }

    private static boolean addressedTo(MimeMessage mail, String address) {
        try {
            return mail.getAllRecipients() != null && Arrays.stream(mail.getAllRecipients()).anyMatch(r -> r.toString().equalsIgnoreCase(address));
        } catch (MessagingException e) {
            return false;
        }
    }
}
