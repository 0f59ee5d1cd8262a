package hexa.identity;

import hexa.platform.config.HexaProperties;
import hexa.platform.web.Text;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.stereotype.Component;

/** Mails invitation links when SMTP is configured; without SMTP, the link is only shown to copy. */
@Component
class InvitationMailer {

    private static final Logger log = LoggerFactory.getLogger(InvitationMailer.class);

    private final HexaProperties.Smtp smtp;
    private final JavaMailSenderImpl sender;

    InvitationMailer(HexaProperties properties) {
        this.smtp = properties.smtp();
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
        } else {
            sender = null;
        }
    }

    boolean enabled() {
        return sender != null;
    }

    /** Answers whether the mail went out; a mail failure never loses the invitation, whose link is shown anyway. */
    boolean send(String to, String workspaceName, String inviterName, String link) {
        if (sender == null) {
            return false;
        }
        SimpleMailMessage message = new SimpleMailMessage();
        message.setFrom(smtp.from());
        message.setTo(to);
        message.setSubject(Text.t("invitation.mail.subject", workspaceName));
        message.setText(Text.t("invitation.mail.body", inviterName, workspaceName, link));
        try {
            sender.send(message);
            return true;
        } catch (RuntimeException e) {
            log.warn("Could not mail the invitation to {}: {}", to, e.getMessage());
            return false;
        }
    }
}
