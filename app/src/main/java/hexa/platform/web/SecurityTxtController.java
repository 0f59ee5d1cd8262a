package hexa.platform.web;

import hexa.platform.access.Public;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /.well-known/security.txt} (RFC 9116): whom to tell about a vulnerability of this installation, from
 * {@code HEXA_SECURITY_CONTACT} (a {@code mailto:} or {@code https:} address; several separated by commas). Without
 * one it is not served (404): the installation's operator, not the software, is the one to reach. How to report a
 * vulnerability of Hexa CRM itself is in {@code SECURITY.md}.
 */
@RestController
class SecurityTxtController {

    private final String contacts;
    private final PublicUrl publicUrl;
    private final Clock clock;

    SecurityTxtController(@Value("${hexa.security-contact:}") String contacts, PublicUrl publicUrl, Clock clock) {
        this.contacts = contacts == null ? "" : contacts.strip();
        this.publicUrl = publicUrl;
        this.clock = clock;
    }

    @Public
    @GetMapping(value = "/.well-known/security.txt", produces = "text/plain;charset=UTF-8")
    ResponseEntity<String> securityTxt() {
        if (contacts.isEmpty()) {
            throw new NotFoundException();
        }
        StringBuilder text = new StringBuilder();
        for (String contact : contacts.split(",")) {
            String address = contact.strip();
            if (!address.isEmpty()) {
                text.append("Contact: ").append(address.contains(":") ? address : "mailto:" + address).append('\n');
            }
        }
        // A year at most ahead, as the RFC asks; written fresh each time, so it never lapses while the server runs.
        text.append("Expires: ").append(clock.instant().plus(Duration.ofDays(180)).truncatedTo(ChronoUnit.SECONDS)).append('\n');
        text.append("Preferred-Languages: en\n");
        if (publicUrl.configured()) {
            text.append("Canonical: ").append(publicUrl.shown()).append("/.well-known/security.txt\n");
        }
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("text/plain;charset=UTF-8")).body(text.toString());
    }
}
