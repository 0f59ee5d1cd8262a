package hexa.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.identity.Fixtures;
import hexa.platform.access.Role;
import hexa.support.HexaIntegrationTest;
import hexa.support.Response;
import hexa.support.SandboxCustomer;
import hexa.support.WebClient;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The erasure pages: "Erase this person" says what goes and asks for the contact's name typed out (or explains why a
 * held contact cannot be erased), then leads to the contacts with a link to the certificate; Settings → Erasures lists
 * the certificates. Owners and Admins only, and only their own workspace's.
 */
class ErasurePagesTest extends HexaIntegrationTest {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    LegalHolds holds;

    private Fixtures.SandboxWorkspace shop;
    private SandboxCustomer customers;
    private WebClient owner;
    private String number;

    @BeforeEach
    void aShopWithACustomer() {
        shop = fixtures.withSandboxNumber("Erasure Pages Co");
        customers = shop.customer();
        owner = browser();
        owner.signIn(shop.owner().email(), Fixtures.PASSWORD);
        number = "4916" + ThreadLocalRandom.current().nextInt(1_000_000, 9_999_999) + "1";
    }

    @Test
    void an_owner_sees_what_goes_types_the_name_and_finds_the_certificate() {
        customers.writes(number, "Please delete everything about me", "Ida <b>Erased</b>");
        UUID contact = contactOf(number);
        assertThat(owner.get("/settings/privacy/erasures").text()).contains("data-testid=\"erasures-empty\"").contains("Nobody has been erased");

        String page = owner.get("/contacts/" + contact + "/erase").text();
        assertThat(page).contains("data-testid=\"erasure-form\"").contains("1 conversation").contains("1 message").contains("no files")
                .as("the name is text, not markup").contains("Ida &lt;b&gt;Erased&lt;/b&gt;").doesNotContain("<b>Erased</b>");

        Response wrong = owner.post("/contacts/" + contact + "/erase", Map.of("confirmation", "Ida"));
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.text()).contains("data-testid=\"erasure-error\"").contains("That is not Ida &lt;b&gt;Erased&lt;/b&gt;");
        assertThat(owner.post("/contacts/" + contact + "/erase", Map.of()).status()).isEqualTo(400);
        assertThat(count("select count(*) from contacts where tenant_id = :t and id = '" + contact + "'")).as("nothing erased yet").isEqualTo(1);

        Response erased = owner.post("/contacts/" + contact + "/erase", Map.of("confirmation", " ida <b>erased</b> ", "reason", "Request 17"));
        assertThat(erased.status()).isEqualTo(302);
        assertThat(erased.location()).endsWith("/contacts");
        String contacts = owner.get(erased.location()).text();
        assertThat(contacts).contains("The person was erased").contains("data-testid=\"notice-link\"");
        UUID certificate = UUID.fromString(jdbc.sql("select id::text from privacy_erasures where tenant_id = :t").param("t", shop.id()).query(String.class).single());
        assertThat(contacts).contains("href=\"/settings/privacy/erasures/" + certificate + "\"");
        assertThat(count("select count(*) from contacts where tenant_id = :t and id = '" + contact + "'")).isZero();

        String list = owner.get("/settings/privacy/erasures").text();
        assertThat(list).contains("data-testid=\"erasure-row\"").contains("Request 17").contains(shop.owner().name())
                .contains("href=\"/settings/privacy/erasures\"").doesNotContain("Ida");
        String shown = owner.get("/settings/privacy/erasures/" + certificate).text();
        assertThat(shown).contains("data-testid=\"erasure-removed\"").contains("<code>messages</code>").contains("Request 17").doesNotContain("Ida")
                .doesNotContain(number);
    }

    @Test
    void a_person_without_a_name_is_confirmed_by_number() {
        customers.writes(number, "Hi");
        UUID contact = contactOf(number);
        jdbc.sql("update contacts set profile_name = null, name = null where tenant_id = :t and id = :c").param("t", shop.id()).param("c", contact).update();

        assertThat(owner.get("/contacts/" + contact + "/erase").text()).contains("To confirm, type +" + number);
        assertThat(owner.post("/contacts/" + contact + "/erase", Map.of("confirmation", number)).status()).isEqualTo(302);
        assertThat(count("select count(*) from contacts where tenant_id = :t and id = '" + contact + "'")).isZero();
    }

    @Test
    void a_held_contact_is_explained_without_a_button_and_refused() {
        customers.writes(number, "Hello", "Jon Held");
        UUID contact = contactOf(number);
        try (var ignored = fixtures.actAsOwner(shop.workspace())) {
            holds.hold(contact, "Jon Held", "Tax audit 2026");
        }

        String page = owner.get("/contacts/" + contact + "/erase").text();
        assertThat(page).contains("data-testid=\"erasure-held\"").contains("Tax audit 2026").doesNotContain("data-testid=\"erasure-form\"");
        Response refused = owner.post("/contacts/" + contact + "/erase", Map.of("confirmation", "Jon Held"));
        assertThat(refused.status()).isEqualTo(409);
        assertThat(count("select count(*) from contacts where tenant_id = :t and id = '" + contact + "'")).isEqualTo(1);
    }

    @Test
    void agents_and_other_workspaces_cannot_erase_or_read_certificates() {
        customers.writes(number, "Hello", "Kim Kept");
        UUID contact = contactOf(number);
        WebClient agent = browser();
        Fixtures.Person person = fixtures.member(shop.workspace(), Role.AGENT);
        agent.signIn(person.email(), Fixtures.PASSWORD);
        Fixtures.TestWorkspace other = fixtures.workspace("Someone Else Co");
        WebClient stranger = browser();
        stranger.signIn(other.owner().email(), Fixtures.PASSWORD);

        assertThat(agent.get("/contacts/" + contact + "/erase").status()).isEqualTo(403);
        assertThat(agent.post("/contacts/" + contact + "/erase", Map.of("confirmation", "Kim Kept")).status()).isEqualTo(403);
        assertThat(agent.get("/settings/privacy/erasures").status()).isEqualTo(403);
        assertThat(stranger.get("/contacts/" + contact + "/erase").status()).isEqualTo(404);
        assertThat(stranger.post("/contacts/" + contact + "/erase", Map.of("confirmation", "Kim Kept")).status()).isEqualTo(404);
        assertThat(count("select count(*) from contacts where tenant_id = :t and id = '" + contact + "'")).isEqualTo(1);

        owner.post("/contacts/" + contact + "/erase", Map.of("confirmation", "Kim Kept"));
        String certificate = jdbc.sql("select id::text from privacy_erasures where tenant_id = :t").param("t", shop.id()).query(String.class).single();
        assertThat(stranger.get("/settings/privacy/erasures/" + certificate).status()).isEqualTo(404);
        assertThat(stranger.get("/settings/privacy/erasures").text()).contains("data-testid=\"erasures-empty\"");
        assertThat(owner.get("/settings/privacy/erasures/not-an-id").status()).isEqualTo(404);
    }

    private long count(String sql) {
        return jdbc.sql(sql).param("t", shop.id()).query(Long.class).single();
    }

    private UUID contactOf(String waId) {
        return jdbc.sql("select id from contacts where tenant_id = :t and wa_id = :w").param("t", shop.id()).param("w", waId).query(UUID.class).single();
    }
}
