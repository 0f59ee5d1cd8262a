package hexa.sandbox;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** Phone numbers of a WABA, one number, and its business profile. */
class PhoneNumbersContractTest extends SandboxTest {

    @Test
    void theWabaListsItsNumbers() {
        JsonNode list = graphGet("/" + number.wabaId() + "/phone_numbers", token).json();

        assertThat(list.get("data")).hasSize(1);
        JsonNode phone = list.at("/data/0");
        assertThat(phone.get("id").asString()).isEqualTo(number.phoneNumberId());
        assertThat(phone.get("display_phone_number").asString()).isEqualTo("+1 555-078-3881");
        assertThat(phone.get("verified_name").asString()).isNotBlank();
        assertThat(phone.get("quality_rating").asString()).isEqualTo("GREEN");
        assertThat(list.has("paging")).isTrue();
    }

    @Test
    void aNumberDescribesItselfWithItsThroughput() {
        JsonNode phone = graphGet("/" + number.phoneNumberId() + "?fields=throughput", token).json();

        assertThat(phone.get("id").asString()).isEqualTo(number.phoneNumberId());
        assertThat(phone.at("/throughput/level").asString()).isEqualTo("STANDARD");
    }

    @Test
    void theBusinessProfileCanBeReadAndChanged() {
        String path = "/" + number.phoneNumberId() + "/whatsapp_business_profile";

        Reply update = graphPost(path, token, "{\"messaging_product\":\"whatsapp\",\"about\":\"Fresh bread daily\","
                + "\"email\":\"hello@bakery.test\",\"vertical\":\"RETAIL\",\"websites\":[\"https://bakery.test\"]}");
        JsonNode profile = graphGet(path, token).json().at("/data/0");

        assertThat(update.json().get("success").asBoolean()).isTrue();
        assertThat(profile.get("about").asString()).isEqualTo("Fresh bread daily");
        assertThat(profile.get("email").asString()).isEqualTo("hello@bakery.test");
        assertThat(profile.get("vertical").asString()).isEqualTo("RETAIL");
        assertThat(profile.get("websites").get(0).asString()).isEqualTo("https://bakery.test");
        assertThat(profile.get("messaging_product").asString()).isEqualTo("whatsapp");
    }

    @Test
    void aProfileUpdateWithAnInvalidFieldChangesNothing() {
        String path = "/" + number.phoneNumberId() + "/whatsapp_business_profile";

        Reply bad = graphPost(path, token, "{\"messaging_product\":\"whatsapp\",\"about\":\"changed\",\"vertical\":\"SPACESHIPS\"}");

        assertThat(bad.json().at("/error/code").asInt()).isEqualTo(100);
        assertThat(graphGet(path, token).json().at("/data/0/about").asString()).isNotEqualTo("changed");
    }

    @Test
    void unknownObjectsAndForeignTokensGetMetasErrors() {
        assertThat(graphGet("/" + number.phoneNumberId(), "EAAwrong").json().at("/error/code").asInt()).isEqualTo(190);
        JsonNode unknown = graphGet("/424242424242", token).json();
        assertThat(unknown.at("/error/code").asInt()).isEqualTo(100);
        assertThat(unknown.at("/error/error_subcode").asInt()).isEqualTo(33);
        assertThat(unknown.at("/error/type").asString()).isEqualTo("GraphMethodException");
    }
}
