package hexa.whatsapp.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Answers the sandbox never gives but Meta, a proxy or a wrong URL can: several pages of templates,
 * endless paging, errors without Meta's envelope, a 200 that is not JSON. A plain HTTP server plays
 * that other side.
 */
class UnusualGraphAnswersTest {

    private final GraphClient graph = new GraphClient(GraphSettings.defaults());
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private GraphEndpoint endpoint;

    private interface Answer {
        void answer(HttpExchange exchange) throws IOException;
    }

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.start();
        endpoint = new GraphEndpoint("http://127.0.0.1:" + server.getAddress().getPort() + "/", "v25.0", "EAAtoken");
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void follows_the_after_cursor_until_meta_announces_no_next_page() {
        answer(exchange -> {
            String query = String.valueOf(exchange.getRequestURI().getQuery());
            if (query.contains("after=P2")) {
                reply(exchange, 200, "{\"data\":[{\"name\":\"second\"}],\"paging\":{\"cursors\":{\"before\":\"P2\",\"after\":\"P3\"}}}");
            } else {
                // The next link points elsewhere on purpose: the token must only go to the configured URL.
                reply(exchange, 200, "{\"data\":[{\"name\":\"first\"}],\"paging\":{\"cursors\":{\"before\":\"P1\",\"after\":\"P2\"},"
                        + "\"next\":\"https://elsewhere.example/v25.0/42/message_templates?after=P2\"}}");
            }
        });

        List<JsonNode> templates = graph.templates(endpoint, "42");

        assertThat(templates).extracting(t -> t.path("name").asString()).containsExactly("first", "second");
        assertThat(requests).hasSize(2).allMatch(r -> r.startsWith("Bearer EAAtoken GET /v25.0/42/message_templates?limit=100"));
    }

    @Test
    void a_listing_that_never_ends_stops_with_a_permanent_failure() {
        AtomicInteger page = new AtomicInteger();
        answer(exchange -> reply(exchange, 200, "{\"data\":[{\"name\":\"t" + page.incrementAndGet()
                + "\"}],\"paging\":{\"cursors\":{\"after\":\"C" + page.get() + "\"},\"next\":\"more\"}}"));

        GraphApiException failure = failure(() -> graph.templates(endpoint, "42"));

        assertThat(failure.failure().reason()).isEqualTo(GraphFailure.Reason.TOO_MANY_PAGES);
        assertThat(failure.kind()).isEqualTo(GraphFailure.Kind.PERMANENT);
        assertThat(requests).hasSize(50);
    }

    @Test
    void a_cursor_that_repeats_is_not_followed_twice() {
        answer(exchange -> reply(exchange, 200, "{\"data\":[],\"paging\":{\"cursors\":{\"after\":\"SAME\"},\"next\":\"more\"}}"));

        GraphApiException failure = failure(() -> graph.phoneNumbers(endpoint, "42"));

        assertThat(failure.failure().reason()).isEqualTo(GraphFailure.Reason.TOO_MANY_PAGES);
        assertThat(requests).hasSize(2);
    }

    @Test
    void metas_error_envelope_is_read_field_by_field_even_from_a_server_error() {
        answer(exchange -> reply(exchange, 500, "{\"error\":{\"message\":\"(#131000) Something went wrong\",\"type\":\"OAuthException\","
                + "\"code\":131000,\"error_subcode\":2494010,\"error_data\":{\"messaging_product\":\"whatsapp\","
                + "\"details\":\"Something went wrong\"},\"fbtrace_id\":\"AbC-123\"}}"));

        GraphApiException failure = failure(() -> graph.phoneNumber(endpoint, "106540352242922"));

        assertThat(failure.httpStatus()).isEqualTo(500);
        assertThat(failure.code()).isEqualTo(131000);
        assertThat(failure.subcode()).isEqualTo(2494010);
        assertThat(failure.type()).isEqualTo("OAuthException");
        assertThat(failure.graphMessage()).isEqualTo("(#131000) Something went wrong");
        assertThat(failure.details()).isEqualTo("Something went wrong");
        assertThat(failure.fbtraceId()).isEqualTo("AbC-123");
        assertThat(failure.kind()).isEqualTo(GraphFailure.Kind.TRANSIENT);
        assertThat(failure.getMessage()).contains("131000").contains("AbC-123").doesNotContain("EAAtoken");
    }

    @Test
    void an_unknown_code_that_meta_marks_transient_is_retried() {
        answer(exchange -> reply(exchange, 400, "{\"error\":{\"message\":\"new\",\"code\":987654,\"is_transient\":true}}"));

        assertThat(failure(() -> graph.phoneNumber(endpoint, "1")).kind()).isEqualTo(GraphFailure.Kind.TRANSIENT);
    }

    @Test
    void answers_without_metas_envelope_are_classified_by_their_http_status() {
        AtomicInteger status = new AtomicInteger();
        answer(exchange -> reply(exchange, status.get(), "<html>proxy says no</html>"));

        status.set(503);
        assertThat(failure(() -> graph.phoneNumber(endpoint, "1")).kind()).isEqualTo(GraphFailure.Kind.TRANSIENT);
        status.set(429);
        assertThat(failure(() -> graph.phoneNumber(endpoint, "1")).kind()).isEqualTo(GraphFailure.Kind.RATE_LIMITED);
        status.set(404);
        GraphApiException notFound = failure(() -> graph.phoneNumber(endpoint, "1"));
        assertThat(notFound.kind()).isEqualTo(GraphFailure.Kind.BAD_REQUEST);
        assertThat(notFound.failure().reason()).isEqualTo(GraphFailure.Reason.HTTP_ERROR);
        assertThat(notFound.code()).isNull();
    }

    @Test
    void a_redirected_media_download_is_not_followed_so_the_token_stays_with_the_media_host() {
        answer(exchange -> {
            exchange.getResponseHeaders().set("Location", "http://127.0.0.1:" + server.getAddress().getPort() + "/elsewhere");
            exchange.sendResponseHeaders(302, -1);
        });

        GraphApiException failure = failure(() -> graph.downloadMedia(endpoint, endpoint.baseUrl() + "/media/1?hash=secret"));

        assertThat(failure.httpStatus()).isEqualTo(302);
        assertThat(failure.getMessage()).doesNotContain("secret");
        assertThat(requests).hasSize(1);
    }

    @Test
    void a_success_that_is_not_json_means_the_graph_url_points_somewhere_else() {
        answer(exchange -> reply(exchange, 200, "<!doctype html><title>Welcome</title>"));

        GraphApiException failure = failure(() -> graph.phoneNumber(endpoint, "1"));

        assertThat(failure.failure().reason()).isEqualTo(GraphFailure.Reason.UNEXPECTED_ANSWER);
        assertThat(failure.kind()).isEqualTo(GraphFailure.Kind.PERMANENT);
        assertThat(GraphErrors.explain(failure).key()).isEqualTo("whatsapp.error.unexpected-answer");
        assertThat(GraphErrors.explain(failure).arguments()).containsExactly(endpoint.baseUrl());
    }

    @Test
    void a_send_accepted_without_a_message_id_is_not_taken_for_success() {
        answer(exchange -> reply(exchange, 200, "{\"messaging_product\":\"whatsapp\",\"messages\":[]}"));

        GraphApiException failure = failure(() -> graph.sendMessage(endpoint, "1",
                object("{\"to\":\"1\",\"type\":\"text\",\"text\":{\"body\":\"hi\"}}")));

        assertThat(failure.failure().reason()).isEqualTo(GraphFailure.Reason.UNEXPECTED_ANSWER);
    }

    private void answer(Answer answer) {
        server.createContext("/", exchange -> {
            requests.add(exchange.getRequestHeaders().getFirst("Authorization") + " " + exchange.getRequestMethod() + " "
                    + exchange.getRequestURI());
            try {
                answer.answer(exchange);
            } finally {
                exchange.close();
            }
        });
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", body.startsWith("{") ? "application/json" : "text/html");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
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
        return (ObjectNode) JsonMapper.builder().build().readTree(json);
    }
}
