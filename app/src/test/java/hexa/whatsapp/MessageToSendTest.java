package hexa.whatsapp;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The typed messages other modules ask the channel to send write exactly Meta's message objects: each is compared
 * with Meta's own example request (without the envelope: {@code messaging_product}, {@code recipient_type},
 * {@code to}, which the sender adds).
 */
class MessageToSendTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void a_text_a_quoted_reply_and_a_reaction_are_metas_objects() throws IOException {
        assertThat(new MessageToSend.Text("As requested, here's the link to our latest product: https://www.meta.com/quest/quest-3/", true, null)
                .metaObject()).isEqualTo(example("send-text-preview-url.json"));
        ObjectNode reply = example("send-reply-text-context.json");
        // Meta's example spells out the default; we leave preview_url out when it is off.
        ((ObjectNode) reply.get("text")).remove("preview_url");
        assertThat(new MessageToSend.Text("<TEXT_MSG_CONTENT>", false, "<MSGID_OF_PREV_MSG>").metaObject()).isEqualTo(reply);
        assertThat(new MessageToSend.Reaction("wamid.HBgLM...", "😀").metaObject()).isEqualTo(example("send-reaction.json"));
    }

    @Test
    void buttons_a_list_a_location_and_an_upload_are_metas_objects() throws IOException {
        assertThat(new MessageToSend.Buttons("<BUTTON_TEXT>", List.of(
                new MessageToSend.Choice("<UNIQUE_BUTTON_ID_1>", "<BUTTON_TITLE_1>"),
                new MessageToSend.Choice("<UNIQUE_BUTTON_ID_2>", "<BUTTON_TITLE_2>"))).metaObject())
                .isEqualTo(example("send-interactive-button.json"));

        ObjectNode list = example("send-interactive-list.json");
        // Header and footer are optional; the list itself is what is compared.
        ((ObjectNode) list.get("interactive")).remove(List.of("header", "footer"));
        assertThat(new MessageToSend.ChoiceList("<BODY_TEXT>", "<BUTTON_TEXT>", List.of(
                new MessageToSend.Section("<LIST_SECTION_1_TITLE>", List.of(
                        new MessageToSend.Choice("<LIST_SECTION_1_ROW_1_ID>", "<SECTION_1_ROW_1_TITLE>", "<SECTION_1_ROW_1_DESC>"),
                        new MessageToSend.Choice("<LIST_SECTION_1_ROW_2_ID>", "<SECTION_1_ROW_2_TITLE>", "<SECTION_1_ROW_2_DESC>"))),
                new MessageToSend.Section("<LIST_SECTION_2_TITLE>", List.of(
                        new MessageToSend.Choice("<LIST_SECTION_2_ROW_1_ID>", "<SECTION_2_ROW_1_TITLE>", "<SECTION_2_ROW_1_DESC>"),
                        new MessageToSend.Choice("<LIST_SECTION_2_ROW_2_ID>", "<SECTION_2_ROW_2_TITLE>", "<SECTION_2_ROW_2_DESC>"))))).metaObject())
                .isEqualTo(list);

        assertThat(new MessageToSend.Location(37.758056, -122.425332, "META HQ", "1 Hacker Way, Menlo Park, CA 94025").metaObject())
                .isEqualTo(example("send-location.json"));
        assertThat(new MessageToSend.Media("image", "<IMAGE_OBJECT_ID>", null).metaObject()).isEqualTo(example("send-image-by-id.json"));
    }

    @Test
    void a_template_names_its_parameters_where_its_placeholders_have_names() throws IOException {
        ObjectNode template = new MessageToSend.Template("order_ready", "en_US", List.of(),
                List.of(new MessageToSend.Parameter("1", " Asha "), new MessageToSend.Parameter("order", "A-17"))).metaObject();
        assertThat(template.toString()).isEqualTo("""
                {"type":"template","template":{"name":"order_ready","language":{"code":"en_US"},"components":[{"type":"body","parameters":\
                [{"type":"text","text":"Asha"},{"type":"text","text":"A-17","parameter_name":"order"}]}]}}""");
        // Meta's example: a body component whose first parameter is text, in the same shape.
        ObjectNode example = example("send-template-body-params.json");
        assertThat(template.at("/template/components/0/type")).isEqualTo(example.at("/template/components/0/type"));
        assertThat(template.at("/template/components/0/parameters/0").propertyNames())
                .containsExactlyInAnyOrderElementsOf(example.at("/template/components/0/parameters/0").propertyNames());
    }

    @Test
    void a_template_with_a_media_header_gives_the_file_by_metas_media_id() throws IOException {
        ObjectNode image = new MessageToSend.Template("spring_sale", "en_US",
                List.of(MessageToSend.Parameter.media("image", "1234567890", "sale.jpg")), List.of(new MessageToSend.Parameter("1", "Asha"))).metaObject();
        assertThat(image.toString()).isEqualTo("""
                {"type":"template","template":{"name":"spring_sale","language":{"code":"en_US"},"components":[{"type":"header","parameters":\
                [{"type":"image","image":{"id":"1234567890"}}]},{"type":"body","parameters":[{"type":"text","text":"Asha"}]}]}}""");
        // Meta's example ("send template with media header"): the header's parameter is typed by its kind and holds the media object.
        ObjectNode example = example("send-template-media-header.json");
        assertThat(image.at("/template/components/0/type")).isEqualTo(example.at("/template/components/0/type"));
        assertThat(image.at("/template/components/0/parameters/0/type")).isEqualTo(example.at("/template/components/0/parameters/0/type"));
        assertThat(image.at("/template/components/0/parameters/0").propertyNames())
                .containsExactlyInAnyOrderElementsOf(example.at("/template/components/0/parameters/0").propertyNames());

        ObjectNode document = new MessageToSend.Template("price_list", "en_US",
                List.of(MessageToSend.Parameter.media("document", "987", "prices.pdf")), List.of()).metaObject();
        assertThat(document.at("/template/components/0/parameters/0").toString())
                .isEqualTo("{\"type\":\"document\",\"document\":{\"id\":\"987\",\"filename\":\"prices.pdf\"}}");
        ObjectNode video = new MessageToSend.Template("demo", "en_US", List.of(MessageToSend.Parameter.media("video", "55", "demo.mp4")), List.of())
                .metaObject();
        assertThat(video.at("/template/components/0/parameters/0").toString()).isEqualTo("{\"type\":\"video\",\"video\":{\"id\":\"55\"}}");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> MessageToSend.Parameter.media("audio", "1", null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_flow_form_is_metas_flow_message() {
        // Meta's example request ("Flow Messages", Cloud API), without the envelope, header and footer (optional)
        ObjectNode example = (ObjectNode) JSON.readTree("""
                {"type": "interactive", "interactive": {"type": "flow", "body": {"text": "Flow message body"},
                 "action": {"name": "flow", "parameters": {"flow_message_version": "3", "flow_token": "AQAAAAACS5FpgQ_cAAAAAD0QI3s.",
                  "flow_id": "1", "flow_cta": "Book!", "flow_action": "navigate", "flow_action_payload": {"screen": "<SCREEN_NAME>",
                  "data": {"product_name": "name", "product_description": "description", "product_price": 100}}}}}}
                """);
        java.util.Map<String, Object> data = new java.util.LinkedHashMap<>();
        data.put("product_name", "name");
        data.put("product_description", "description");
        data.put("product_price", 100);
        assertThat(new MessageToSend.FlowForm("Flow message body", "Book!", "1", null, "AQAAAAACS5FpgQ_cAAAAAD0QI3s.", "<SCREEN_NAME>", data)
                .metaObject()).isEqualTo(example);
        ObjectNode byName = MessageToSend.FlowForm.byName("Which order?", "Check my order", "order_status", null).metaObject();
        assertThat(byName.at("/interactive/action/parameters/flow_name").asString()).isEqualTo("order_status");
        assertThat(byName.at("/interactive/action/parameters").has("flow_id")).isFalse();
        assertThat(byName.at("/interactive/action/parameters").has("flow_action_payload")).isFalse();
    }

    @Test
    void a_contact_card_has_the_name_and_phones_metas_example_has() throws IOException {
        ObjectNode card = (ObjectNode) new MessageToSend.Contacts(List.of(new MessageToSend.Card("John Smith", List.of("+1 (940) 555-1234"))))
                .metaObject().get("contacts").get(0);
        ObjectNode example = (ObjectNode) example("send-contacts.json").get("contacts").get(0);
        assertThat(card.at("/name/formatted_name").asString()).isEqualTo(example.at("/name/formatted_name").asString());
        assertThat(example.get("phones").get(0).has("phone")).isTrue();
        assertThat(card.at("/phones/0/phone").asString()).isEqualTo("+1 (940) 555-1234");
    }

    private static ObjectNode example(String name) throws IOException {
        try (InputStream in = MessageToSendTest.class.getClassLoader().getResourceAsStream("whatsapp/examples/api/" + name)) {
            ObjectNode request = (ObjectNode) JSON.readTree(in);
            request.remove(List.of("messaging_product", "recipient_type", "to"));
            return request;
        }
    }
}
