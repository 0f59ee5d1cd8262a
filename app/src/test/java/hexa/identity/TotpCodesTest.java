package hexa.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The codes are RFC 6238's own (its SHA-1 test vectors, last six of their eight digits), as every authenticator app makes them. */
class TotpCodesTest {

    private static final byte[] RFC_SECRET = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
    private final TotpCodes totp = new TotpCodes();

    @Test
    void codes_match_the_test_vectors_of_rfc_6238() {
        assertThat(totp.codeAt(RFC_SECRET, TotpCodes.step(Instant.ofEpochSecond(59)))).isEqualTo("287082");
        assertThat(totp.codeAt(RFC_SECRET, TotpCodes.step(Instant.ofEpochSecond(1111111109)))).isEqualTo("081804");
        assertThat(totp.codeAt(RFC_SECRET, TotpCodes.step(Instant.ofEpochSecond(1111111111)))).isEqualTo("050471");
        assertThat(totp.codeAt(RFC_SECRET, TotpCodes.step(Instant.ofEpochSecond(1234567890)))).isEqualTo("005924");
        assertThat(totp.codeAt(RFC_SECRET, TotpCodes.step(Instant.ofEpochSecond(2000000000)))).isEqualTo("279037");
        assertThat(totp.codeAt(RFC_SECRET, TotpCodes.step(Instant.ofEpochSecond(20000000000L)))).isEqualTo("353130");
    }

    @Test
    void the_current_step_and_one_either_side_are_accepted_and_no_step_twice() {
        Instant now = Instant.ofEpochSecond(1111111109);
        long step = TotpCodes.step(now);
        assertThat(totp.match(RFC_SECRET, totp.codeAt(RFC_SECRET, step), 0, now)).hasValue(step);
        assertThat(totp.match(RFC_SECRET, totp.codeAt(RFC_SECRET, step - 1), 0, now)).hasValue(step - 1);
        assertThat(totp.match(RFC_SECRET, totp.codeAt(RFC_SECRET, step + 1), 0, now)).hasValue(step + 1);
        assertThat(totp.match(RFC_SECRET, totp.codeAt(RFC_SECRET, step - 2), 0, now)).isEmpty();
        assertThat(totp.match(RFC_SECRET, totp.codeAt(RFC_SECRET, step + 2), 0, now)).isEmpty();
        assertThat(totp.match(RFC_SECRET, totp.codeAt(RFC_SECRET, step), step, now)).as("a used step").isEmpty();
        assertThat(totp.match(RFC_SECRET, " 081 804 ", 0, now)).as("spaces as people type them").hasValue(step);
        assertThat(totp.match(RFC_SECRET, "08180", 0, now)).isEmpty();
        assertThat(totp.match(RFC_SECRET, "abcdef", 0, now)).isEmpty();
    }

    @Test
    void the_key_uri_names_the_account_and_carries_the_secret_in_base32() {
        assertThat(TotpCodes.base32(RFC_SECRET)).isEqualTo("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        assertThat(TotpCodes.keyUri("Hexa CRM", "asha@example.com", RFC_SECRET))
                .isEqualTo("otpauth://totp/Hexa%20CRM:asha%40example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Hexa%20CRM&algorithm=SHA1&digits=6&period=30");
    }
}
