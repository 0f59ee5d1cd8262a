package hexa.identity;

import hexa.platform.config.HexaProperties;
import hexa.platform.database.AfterCommit;
import hexa.platform.web.PublicUrl;
import jakarta.annotation.PreDestroy;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.stereotype.Component;

/**
 * The mails of accounts (invitations, address confirmations, password resets) when SMTP is configured; without SMTP
 * nothing is mailed, and the pages that would rely on a mail say so.
 */
@Component
class AccountMail {

    private static final Logger log = LoggerFactory.getLogger(AccountMail.class);

    private final HexaProperties.Smtp smtp;
    private final JavaMailSenderImpl sender;
    private final PublicUrl publicUrl;
    private final ExecutorService background = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "account-mail");
        thread.setDaemon(true);
        return thread;
    });

    AccountMail(HexaProperties properties, PublicUrl publicUrl) {
        this.smtp = properties.smtp();
        this.publicUrl = publicUrl;
        if (smtp.configured()) {
            sender = new JavaMailSenderImpl();
            sender.setHost(smtp.host());
            sender.setPort(smtp.port());
            sender.setUsername(smtp.username());
            sender.setPassword(smtp.password());
            Properties props = sender.getJavaMailProperties();
            props.put("mail.smtp.auth", String.valueOf(smtp.username() != null && !smtp.username().isBlank()));
            props.put("mail.smtp.starttls.enable", String.valueOf(smtp.starttls()));
            props.put("mail.smtp.connectiontimeout", "10000");
            props.put("mail.smtp.timeout", "10000");
            if (properties.publicUrl() == null || properties.publicUrl().isBlank()) {
                log.warn("Mail is configured but HEXA_PUBLIC_URL is not: links in mails (invitations, address confirmations, "
                        + "password resets) will point at this server on localhost. Set HEXA_PUBLIC_URL to the address people use.");
            }
        } else {
            sender = null;
        }
    }

    boolean enabled() {
        return sender != null;
    }

    /**
     * Where links in mails lead: {@code HEXA_PUBLIC_URL}, else this server on localhost. Never the address of the
     * request, whose Host header anyone can write: a reset link sent to someone else's host would hand over the account.
     */
    String linkBase() {
        return publicUrl.atStartup();
    }

    /** Mails now and answers whether it went out; a mail failure is logged, never thrown. */
    boolean send(String to, String subject, String body) {
        if (sender == null) {
            return false;
        }
        SimpleMailMessage message = new SimpleMailMessage();
        message.setFrom(smtp.from());
        message.setTo(to);
        message.setSubject(subject);
        message.setText(body);
        try {
            sender.send(message);
            return true;
        } catch (RuntimeException e) {
            log.warn("Could not mail {} to {}: {}", subject, to, e.getMessage());
            return false;
        }
    }

    /**
     * Mails once the current transaction has committed, on a thread of its own: for answers that must take the same time
     * whether or not a mail goes out (a password reset asked for an unknown address sends none).
     */
    void sendLater(String to, String subject, String body) {
        if (sender == null) {
            return;
        }
        AfterCommit.run(() -> {
            try {
                background.execute(() -> send(to, subject, body));
            } catch (RejectedExecutionException e) {
                log.warn("Could not mail {} to {}: shutting down", subject, to);
            }
        });
    }

    @PreDestroy
    void stop() {
        background.shutdown();
    }
}
