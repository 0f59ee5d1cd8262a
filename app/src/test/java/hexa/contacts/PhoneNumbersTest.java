package hexa.contacts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PhoneNumbersTest {

    @Test
    void one_number_written_many_ways_is_one_e164() {
        for (String written : new String[] {"+91 98765 43210", "098765 43210", "91-98765-43210", "0091 9876543210", "(+91) 98765-43210",
                "9876543210"}) {
            assertThat(PhoneNumbers.read(written, "IN").e164()).as(written).isEqualTo("+919876543210");
        }
        assertThat(PhoneNumbers.read("030 1234567", "DE").e164()).isEqualTo("+49301234567");
        assertThat(PhoneNumbers.read("+1 (415) 555-0100", "IN").waId()).isEqualTo("14155550100");
    }

    @Test
    void what_cannot_be_a_number_says_why() {
        assertThat(PhoneNumbers.read("", "IN").problemKey()).isEqualTo("contacts.phone.empty");
        assertThat(PhoneNumbers.read("call me", "IN").problemKey()).isEqualTo("contacts.phone.not-a-number");
        assertThat(PhoneNumbers.read("=HYPERLINK(\"x\")", "IN").problemKey()).isEqualTo("contacts.phone.not-a-number");
        assertThat(PhoneNumbers.read("12", "IN").problemKey()).isEqualTo("contacts.phone.too-short");
        // A landline written without its area code is dialable only locally: not reachable on WhatsApp.
        assertThat(PhoneNumbers.read("12-12345", "IN").problemKey()).isEqualTo("contacts.phone.too-short");
        assertThat(PhoneNumbers.read("+91 98765 43210 12345 678", "IN").problemKey()).isEqualTo("contacts.phone.too-long");
        assertThat(PhoneNumbers.read("+999 1234567", "IN").problemKey()).isEqualTo("contacts.phone.country-unknown");
        assertThat(PhoneNumbers.read("+91 98765 43210", "IN").valid()).isTrue();
    }
}
