package hexa.whatsapp.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.MessageSource;

import hexa.sandbox.SandboxSwitches;
import hexa.sandbox.customers.CustomerMessages;
import hexa.sandbox.numbers.BusinessNumber;
import hexa.sandbox.numbers.SandboxNumbers;
import hexa.support.HexaIntegrationTest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The Graph API client against the sandbox mounted in the app, over real HTTP, as it would talk to Meta. */
class GraphClientTest extends HexaIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    GraphClient graph;
    @Autowired
    GraphSettings settings;
    @Autowired
    SandboxNumbers numbers;
    @Autowired
    CustomerMessages customers;
    @Autowired
    SandboxSwitches switches;
    @Autowired
    MessageSource messages;

    BusinessNumber number;
    GraphEndpoint endpoint;

    @BeforeEach
    void a_sandbox_business_number() {
        // Blank ids and token are generated, so every test has a number of its own.
        number = numbers.register("", "", "", "", "", "", "");
        endpoint = sandbox(number.accessToken());
    }

    @Test
    void lists_the_phone_numbers_of_the_business_account_and_reads_one() {
        List<JsonNode> listed = graph.phoneNumbers(endpoint, number.wabaId());

        assertThat(listed).extracting(n -> n.path("id").asString()).containsExactly(number.phoneNumberId());
        JsonNode one = graph.phoneNumber(endpoint, number.phoneNumberId());
        // Meta spells it for people ("+1 555-112-5043"); the digits are the number's.
        assertThat(one.path("display_phone_number").asString().replaceAll("[^0-9]", "")).isEqualTo(number.displayPhoneNumber());
        assertThat(one.path("throughput").path("level").asString()).isNotBlank();
    }

    @Test
    void sends_a_text_and_answers_the_message_id_and_the_recipients_whatsapp_id() {
        SentMessage sent = graph.sendMessage(endpoint, number.phoneNumberId(),
                object("{\"to\":\"+1 (650) 555-1234\",\"type\":\"text\",\"text\":{\"body\":\"Hello from Hexa\"}}"));

        assertThat(sent.wamid()).startsWith("wamid.");
        assertThat(sent.waId()).isEqualTo("16505551234");
        assertThat(sent.input()).isEqualTo("+1 (650) 555-1234");
    }

    @Test
    void sends_the_hello_world_template() {
        SentMessage sent = graph.sendMessage(endpoint, number.phoneNumberId(), object(
                "{\"to\":\"16505551235\",\"type\":\"template\",\"template\":{\"name\":\"hello_world\",\"language\":{\"code\":\"en_US\"}}}"));

        assertThat(sent.wamid()).startsWith("wamid.");
    }

    @Test
    void leaves_the_callers_message_object_unchanged() {
        ObjectNode message = object("{\"to\":\"16505551236\",\"type\":\"text\",\"text\":{\"body\":\"hi\"}}");

        graph.sendMessage(endpoint, number.phoneNumberId(), message);

        assertThat(message.has("messaging_product")).isFalse();
    }

    @Test
    void uploads_media_describes_it_downloads_the_same_bytes_and_deletes_it() {
        byte[] document = "Invoice 2026-0042: 3 items, total 120.00 EUR".getBytes(StandardCharsets.UTF_8);

        String mediaId = graph.uploadMedia(endpoint, number.phoneNumberId(), document, "text/plain", "invoice.txt");
        MediaInfo info = graph.mediaInfo(endpoint, mediaId);
        byte[] downloaded = graph.downloadMedia(endpoint, info.url());

        assertThat(info.id()).isEqualTo(mediaId);
        assertThat(info.mimeType()).isEqualTo("text/plain");
        assertThat(info.fileSize()).isEqualTo(document.length);
        assertThat(downloaded).isEqualTo(document);
        assertThat(info.isChecksumOf(downloaded)).isTrue();
        assertThat(info.isChecksumOf("tampered".getBytes(StandardCharsets.UTF_8))).isFalse();

        graph.deleteMedia(endpoint, mediaId);
        GraphApiException gone = failure(() -> graph.mediaInfo(endpoint, mediaId));
        assertThat(gone.code()).isEqualTo(100);
        assertThat(gone.kind()).isEqualTo(GraphFailure.Kind.BAD_REQUEST);
    }

    @Test
    void a_media_url_on_any_other_host_than_metas_or_the_graph_apis_own_is_refused_without_sending_the_token() throws Exception {
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        com.sun.net.httpserver.HttpServer elsewhere = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        elsewhere.createContext("/", exchange -> {
            asked.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        elsewhere.start();
        try {
            String url = "http://127.0.0.1:" + elsewhere.getAddress().getPort() + "/whatsapp_business/attachments/?mid=1";
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> graph.downloadMedia(endpoint, url))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("access token");
            assertThat(asked).as("nothing, and no token, was sent there").hasValue(0);
        } finally {
            elsewhere.stop(0);
        }
        GraphEndpoint meta = new GraphEndpoint("https://graph.facebook.com", "v25.0", "EAAtoken");
        assertThat(GraphClient.mayCarryToken(meta, java.net.URI.create("https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1"))).isTrue();
        assertThat(GraphClient.mayCarryToken(meta, java.net.URI.create("https://graph.facebook.com/v25.0/123"))).isTrue();
        assertThat(GraphClient.mayCarryToken(meta, java.net.URI.create("http://lookaside.fbsbx.com/x"))).as("not over plain http").isFalse();
        assertThat(GraphClient.mayCarryToken(meta, java.net.URI.create("https://lookaside.fbsbx.com.attacker.example/x"))).isFalse();
        assertThat(GraphClient.mayCarryToken(meta, java.net.URI.create("https://evilfbsbx.com/x"))).isFalse();
        assertThat(GraphClient.mayCarryToken(endpoint, java.net.URI.create(endpoint.baseUrl() + "/media/1"))).as("the sandbox's own").isTrue();
    }

    @Test
    void a_media_download_needs_the_owners_token() {
        String mediaId = graph.uploadMedia(endpoint, number.phoneNumberId(), new byte[] {1, 2, 3}, "text/plain", null);
        String url = graph.mediaInfo(endpoint, mediaId).url();
        BusinessNumber stranger = numbers.register("", "", "", "", "", "", "");

        GraphApiException refused = failure(() -> graph.downloadMedia(sandbox(stranger.accessToken()), url));

        assertThat(refused.httpStatus()).isEqualTo(404);
        assertThat(refused.failure().reason()).isEqualTo(GraphFailure.Reason.HTTP_ERROR);
        assertThat(refused.graphUrl()).isEqualTo(baseUrl());
    }

    @Test
    void a_download_larger_than_the_configured_maximum_is_refused() {
        String mediaId = graph.uploadMedia(endpoint, number.phoneNumberId(), new byte[64], "text/plain", "zeros.txt");
        GraphClient small = new GraphClient(settings.withMaxMediaSize(org.springframework.util.unit.DataSize.ofBytes(63)));

        GraphApiException tooLarge = failure(() -> small.downloadMedia(endpoint, small.mediaInfo(endpoint, mediaId).url()));

        assertThat(tooLarge.failure().reason()).isEqualTo(GraphFailure.Reason.TOO_LARGE);
        assertThat(tooLarge.isRetryable()).isFalse();
    }

    @Test
    void lists_the_templates_and_submits_a_new_one_for_review() {
        TemplateSubmission submitted = graph.createTemplate(endpoint, number.wabaId(), object("""
                {"name":"order_shipped","language":"en_US","category":"UTILITY",
                 "components":[{"type":"BODY","text":"Your order {{1}} is on its way.",
                                "example":{"body_text":[["A-1001"]]}}]}"""));

        assertThat(submitted.id()).isNotBlank();
        assertThat(submitted.status()).isEqualTo("PENDING");
        assertThat(submitted.category()).isEqualTo("UTILITY");
        List<JsonNode> templates = graph.templates(endpoint, number.wabaId());
        assertThat(templates).extracting(t -> t.path("name").asString()).containsExactlyInAnyOrder("hello_world", "order_shipped");
        assertThat(templates).filteredOn(t -> t.path("name").asString().equals("hello_world"))
                .extracting(t -> t.path("status").asString()).containsExactly("APPROVED");
    }

    @Test
    void reads_and_updates_the_business_profile() {
        graph.updateBusinessProfile(endpoint, number.phoneNumberId(), object(
                "{\"about\":\"Fresh bread daily\",\"email\":\"hello@bakery.example\",\"websites\":[\"https://bakery.example\"],\"vertical\":\"RETAIL\"}"));

        JsonNode profile = graph.businessProfile(endpoint, number.phoneNumberId());

        assertThat(profile.path("about").asString()).isEqualTo("Fresh bread daily");
        assertThat(profile.path("email").asString()).isEqualTo("hello@bakery.example");
        assertThat(profile.path("websites").path(0).asString()).isEqualTo("https://bakery.example");
        assertThat(profile.path("vertical").asString()).isEqualTo("RETAIL");
    }

    @Test
    void marks_a_customer_message_as_read_with_and_without_the_typing_indicator() {
        String wamid = customers.send(number, "16505550001", "Ana", null,
                object("{\"type\":\"text\",\"text\":{\"body\":\"Is the shop open on Sunday?\"}}")).path("id").asString();

        graph.markAsRead(endpoint, number.phoneNumberId(), wamid, true);
        graph.markAsRead(endpoint, number.phoneNumberId(), wamid, false);

        GraphApiException unknown = failure(() -> graph.markAsRead(endpoint, number.phoneNumberId(), "wamid.unknown", false));
        assertThat(unknown.code()).isEqualTo(100);
    }

    @Test
    void a_wrong_token_is_an_authentication_failure_that_asks_for_a_new_token() {
        GraphApiException failure = failure(() -> graph.phoneNumbers(sandbox("EAAwrong"), number.wabaId()));

        assertThat(failure.httpStatus()).isEqualTo(401);
        assertThat(failure.code()).isEqualTo(190);
        assertThat(failure.type()).isEqualTo("OAuthException");
        assertThat(failure.fbtraceId()).isNotBlank();
        assertThat(failure.kind()).isEqualTo(GraphFailure.Kind.AUTHENTICATION);
        assertThat(failure.isRetryable()).isFalse();
        assertThat(failure.getMessage()).doesNotContain("EAAwrong");
        assertThat(plainWords(failure)).contains("system-user access token");
    }

    @Test
    void another_numbers_id_is_a_bad_request_that_names_the_id() {
        BusinessNumber other = numbers.register("", "", "", "", "", "", "");

        GraphApiException failure = failure(() -> graph.businessProfile(endpoint, other.phoneNumberId()));

        assertThat(failure.code()).isEqualTo(100);
        assertThat(failure.subcode()).isEqualTo(33);
        assertThat(failure.kind()).isEqualTo(GraphFailure.Kind.BAD_REQUEST);
        assertThat(plainWords(failure)).contains(other.phoneNumberId());
    }

    @Test
    void a_missing_field_is_131008_and_a_value_beyond_metas_limits_is_131009_both_bad_requests() {
        GraphApiException missing = failure(() -> graph.sendMessage(endpoint, number.phoneNumberId(),
                object("{\"to\":\"16505551237\",\"type\":\"text\",\"text\":{}}")));
        GraphApiException tooLong = failure(() -> graph.sendMessage(endpoint, number.phoneNumberId(),
                object("{\"to\":\"16505551237\",\"type\":\"text\",\"text\":{\"body\":\"" + "x".repeat(4097) + "\"}}")));
        GraphApiException noRecipient = failure(() -> graph.sendMessage(endpoint, number.phoneNumberId(),
                object("{\"type\":\"text\",\"text\":{\"body\":\"hi\"}}")));

        assertThat(missing.code()).isEqualTo(131008);
        assertThat(missing.details()).contains("text.body");
        assertThat(missing.kind()).isEqualTo(GraphFailure.Kind.BAD_REQUEST);
        assertThat(plainWords(missing)).contains("text.body");
        assertThat(tooLong.code()).isEqualTo(131009);
        assertThat(tooLong.kind()).isEqualTo(GraphFailure.Kind.BAD_REQUEST);
        assertThat(noRecipient.code()).isEqualTo(100);
        assertThat(plainWords(noRecipient)).contains("The parameter to is required");
    }

    @Test
    void an_unknown_template_is_132001_and_a_wrong_parameter_count_is_132000_both_permanent() {
        GraphApiException unknown = failure(() -> graph.sendMessage(endpoint, number.phoneNumberId(), object(
                "{\"to\":\"16505551238\",\"type\":\"template\",\"template\":{\"name\":\"no_such_template\",\"language\":{\"code\":\"en_US\"}}}")));
        GraphApiException count = failure(() -> graph.sendMessage(endpoint, number.phoneNumberId(), object("""
                {"to":"16505551238","type":"template","template":{"name":"hello_world","language":{"code":"en_US"},
                 "components":[{"type":"body","parameters":[{"type":"text","text":"extra"}]}]}}""")));

        assertThat(unknown.code()).isEqualTo(132001);
        assertThat(unknown.kind()).isEqualTo(GraphFailure.Kind.PERMANENT);
        assertThat(plainWords(unknown)).contains("not approved").contains("no_such_template");
        assertThat(count.code()).isEqualTo(132000);
        assertThat(count.kind()).isEqualTo(GraphFailure.Kind.PERMANENT);
        assertThat(plainWords(count)).contains("number of template parameters");
    }

    @Test
    void an_unusable_media_id_is_131053_and_permanent() {
        GraphApiException failure = failure(() -> graph.sendMessage(endpoint, number.phoneNumberId(),
                object("{\"to\":\"16505551239\",\"type\":\"image\",\"image\":{\"id\":\"999999999\"}}")));

        assertThat(failure.code()).isEqualTo(131053);
        assertThat(failure.kind()).isEqualTo(GraphFailure.Kind.PERMANENT);
        assertThat(plainWords(failure)).contains("could not use the media");
    }

    @Test
    void sending_above_the_numbers_messages_per_second_is_130429_and_retryable() {
        BusinessNumber slow = numbers.register("", "", "", "", "", "", "", 1);
        GraphEndpoint slowEndpoint = sandbox(slow.accessToken());

        GraphApiException limited = null;
        for (int i = 0; i < 5 && limited == null; i++) {
            try {
                graph.sendMessage(slowEndpoint, slow.phoneNumberId(),
                        object("{\"to\":\"1650555130" + i + "\",\"type\":\"text\",\"text\":{\"body\":\"hi\"}}"));
            } catch (GraphApiException e) {
                limited = e;
            }
        }

        assertThat(limited).isNotNull();
        assertThat(limited.code()).isEqualTo(130429);
        assertThat(limited.subcode()).isEqualTo(2494055);
        assertThat(limited.details()).isEqualTo("Cloud API message throughput has been reached.");
        assertThat(limited.kind()).isEqualTo(GraphFailure.Kind.RATE_LIMITED);
        assertThat(limited.isRetryable()).isTrue();
        assertThat(plainWords(limited)).contains("faster than Meta allows");
    }

    @Test
    void too_many_messages_to_one_customer_is_131056_and_retryable() {
        int burst = switches.pairBurst;
        switches.pairBurst = 1;
        try {
            ObjectNode message = object("{\"to\":\"16505551400\",\"type\":\"text\",\"text\":{\"body\":\"hi\"}}");
            graph.sendMessage(endpoint, number.phoneNumberId(), message);

            GraphApiException limited = failure(() -> graph.sendMessage(endpoint, number.phoneNumberId(), message));

            assertThat(limited.code()).isEqualTo(131056);
            assertThat(limited.kind()).isEqualTo(GraphFailure.Kind.RATE_LIMITED);
            assertThat(limited.isRetryable()).isTrue();
        } finally {
            switches.pairBurst = burst;
        }
    }

    @Test
    void an_unreachable_graph_api_is_a_transient_failure_that_names_the_url() throws Exception {
        int unused;
        try (ServerSocket socket = new ServerSocket(0)) {
            unused = socket.getLocalPort();
        }
        GraphEndpoint nowhere = new GraphEndpoint("http://127.0.0.1:" + unused, "v25.0", number.accessToken());

        GraphApiException failure = failure(() -> graph.phoneNumber(nowhere, number.phoneNumberId()));

        assertThat(failure.httpStatus()).isZero();
        assertThat(failure.failure().reason()).isEqualTo(GraphFailure.Reason.UNREACHABLE);
        assertThat(failure.kind()).isEqualTo(GraphFailure.Kind.TRANSIENT);
        assertThat(failure.isRetryable()).isTrue();
        assertThat(plainWords(failure)).isEqualTo("Cannot reach the Graph API at http://127.0.0.1:" + unused
                + ". Check the server's network connection and the Graph API URL setting (HEXA_WHATSAPP_GRAPH_URL).");
    }

    @Test
    void a_graph_api_that_answers_too_slowly_times_out_as_a_transient_failure() throws Exception {
        try (ServerSocket silent = new ServerSocket(0)) {
            // Accepts connections (the backlog does) but never answers.
            GraphClient impatient = new GraphClient(settings.withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(300)));
            GraphEndpoint slow = new GraphEndpoint("http://127.0.0.1:" + silent.getLocalPort(), "v25.0", "EAAtoken");

            GraphApiException failure = failure(() -> impatient.phoneNumber(slow, "123"));

            assertThat(failure.failure().reason()).isEqualTo(GraphFailure.Reason.TIMED_OUT);
            assertThat(failure.kind()).isEqualTo(GraphFailure.Kind.TRANSIENT);
            assertThat(plainWords(failure)).contains("did not answer in time");
        }
    }

    @Test
    void the_configured_graph_api_is_metas_by_default() {
        // The shared test context points at the sandbox instead, so read the defaults from an empty environment.
        var empty = new org.springframework.core.env.StandardEnvironment();
        empty.getPropertySources().remove(org.springframework.core.env.StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        empty.getPropertySources().remove(org.springframework.core.env.StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
        GraphSettings settings = org.springframework.boot.context.properties.bind.Binder.get(empty)
                .bindOrCreate("hexa.whatsapp", GraphSettings.class);
        assertThat(settings.graphUrl()).isEqualTo("https://graph.facebook.com");
        assertThat(settings.apiVersion()).isEqualTo("v25.0");
        assertThat(settings.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.readTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.endpoint("EAAsecret")).hasToString("GraphEndpoint[https://graph.facebook.com/v25.0, token=***]");
    }

    @Test
    void every_explanation_reads_as_plain_english_in_the_message_bundle() {
        List<GraphErrorExplanation> explanations = new java.util.ArrayList<>();
        for (int code : new int[] {0, 1, 2, 3, 4, 10, 100, 131005, 131008, 131009, 131026, 131047, 131053, 132000,
                132001, 130429, 131056, 80007, 613, 131000, 131016, 250, 368}) {
            explanations.add(GraphErrors.explain(code, "detail"));
        }
        for (GraphFailure.Reason reason : GraphFailure.Reason.values()) {
            GraphFailure f = new GraphFailure(reason == GraphFailure.Reason.HTTP_ERROR ? 404 : 0, null, null, null, "m",
                    null, null, reason, GraphFailure.Kind.PERMANENT);
            explanations.add(GraphErrors.explain(new GraphApiException(f, "https://graph.example", "GET /", null)));
        }

        for (GraphErrorExplanation explanation : explanations) {
            String text = messages.getMessage(explanation, Locale.ENGLISH);
            assertThat(Character.isUpperCase(text.charAt(0))).as(explanation.key() + ": " + text).isTrue();
            assertThat(text).as(explanation.key()).doesNotContain("''").doesNotContain("{").doesNotContain("whatsapp.error.");
        }
        assertThat(messages.getMessage(GraphErrors.explain(131047, null), Locale.ENGLISH))
                .startsWith("Message failed to send because more than 24 hours have passed since the customer last replied to this number.")
                .contains("template");
        assertThat(messages.getMessage(GraphErrors.explain(131026, null), Locale.ENGLISH)).contains("cannot receive WhatsApp messages");
        assertThat(messages.getMessage(GraphErrors.explain(200, null), Locale.ENGLISH))
                .contains("whatsapp_business_messaging").contains("whatsapp_business_management");
        assertThat(messages.getMessage(GraphErrors.explain(131000, null), Locale.ENGLISH)).contains("131000").contains("retry");
    }

    private GraphEndpoint sandbox(String token) {
        return new GraphEndpoint(baseUrl() + "/sandbox/graph", "v25.0", token);
    }

    private String plainWords(GraphApiException failure) {
        return messages.getMessage(GraphErrors.explain(failure), Locale.ENGLISH);
    }

    private static GraphApiException failure(Runnable call) {
        try {
            call.run();
        } catch (GraphApiException e) {
            return e;
        }
        throw new AssertionError("Expected a GraphApiException");
    }

    private static ObjectNode object(String json) {
        return (ObjectNode) JSON.readTree(json);
    }
}
