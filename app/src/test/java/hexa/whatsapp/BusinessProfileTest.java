package hexa.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.identity.Fixtures;
import hexa.platform.access.Role;
import hexa.sandbox.numbers.SandboxNumbers;
import hexa.support.HexaIntegrationTest;
import hexa.support.WebClient;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class BusinessProfileTest extends HexaIntegrationTest {

    @Autowired
    SandboxNumbers sandbox;

    @Test
    void an_admin_edits_the_business_profile_which_is_saved_at_meta() {
        Fixtures.SandboxWorkspace shop = fixtures.withSandboxNumber("Profile Shop");
        Fixtures.TestWorkspace workspace = shop.workspace();
        ConnectionService.View number = shop.number();
        WebClient admin = browser();
        admin.signIn(fixtures.member(workspace, Role.ADMIN).email(), Fixtures.PASSWORD);
        assertThat(admin.get("/settings/whatsapp/" + number.id() + "/profile").status()).isEqualTo(200);

        admin.post("/settings/whatsapp/" + number.id() + "/profile", Map.of("about", "Fresh spices daily", "address", "12 MG Road, Pune",
                "description", "Family spice shop since 1962", "email", "hello@spices.example", "website1", "https://spices.example",
                "vertical", "GROCERY"));

        String page = admin.get("/settings/whatsapp/" + number.id() + "/profile").text();
        assertThat(page).contains("saved at Meta").contains("value=\"Fresh spices daily\"").contains("12 MG Road, Pune");
        var atMeta = sandbox.find(number.phoneNumberId()).orElseThrow().profile();
        assertThat(atMeta.about).isEqualTo("Fresh spices daily");
        assertThat(atMeta.vertical).isEqualTo("GROCERY");
        assertThat(atMeta.websites).containsExactly("https://spices.example");

        admin.post("/settings/whatsapp/" + number.id() + "/profile", Map.of("about", "x".repeat(140), "vertical", "GROCERY"));
        assertThat(admin.get("/settings/whatsapp/" + number.id() + "/profile").text()).contains("at most 139 characters").contains("value=\"Fresh spices daily\"");
    }
}
