package hexa.platform.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.util.unit.DataSize;

/** Which addresses an automation may call, and how a call is made. */
class OutboundCallsTest {

    private final OutboundCalls guarded = calls(false, List.of());

    @ParameterizedTest(name = "{0} is refused: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            http://169.254.169.254/latest/meta-data/        | outbound.refused.private
            http://localhost:5432                           | outbound.refused.private
            http://LOCALHOST./hook                          | outbound.refused.private
            http://127.0.0.1/                               | outbound.refused.private
            http://127.5.6.7:8080/                          | outbound.refused.private
            http://10.0.0.5/admin                           | outbound.refused.private
            http://172.16.0.1/                              | outbound.refused.private
            http://172.31.255.255/                          | outbound.refused.private
            http://192.168.1.1/                             | outbound.refused.private
            http://100.64.0.1/                              | outbound.refused.private
            http://100.127.255.254/                         | outbound.refused.private
            http://0.0.0.0:8080/                            | outbound.refused.private
            http://0.1.2.3/                                 | outbound.refused.private
            http://224.0.0.1/                               | outbound.refused.private
            http://255.255.255.255/                         | outbound.refused.private
            http://198.18.0.1/                              | outbound.refused.private
            http://[::1]/                                   | outbound.refused.private
            http://[::]/                                    | outbound.refused.private
            http://[fe80::1]/                               | outbound.refused.private
            http://[fd00:ec2::254]/                         | outbound.refused.private
            http://[fc00::1]/                               | outbound.refused.private
            http://[ff02::1]/                               | outbound.refused.private
            http://[::ffff:127.0.0.1]/                      | outbound.refused.private
            http://[::ffff:169.254.169.254]/                | outbound.refused.private
            http://[::ffff:a9fe:a9fe]/                      | outbound.refused.private
            http://[::10.0.0.1]/                            | outbound.refused.private
            http://[64:ff9b::a00:1]/                        | outbound.refused.private
            http://[2002:7f00:1::]/                         | outbound.refused.private
            http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/  | outbound.refused.private
            https://user:secret@example.com/hook            | outbound.refused.user-info
            http://user@93.184.215.14/                      | outbound.refused.user-info
            ftp://93.184.215.14/file                        | outbound.refused.scheme
            file:///etc/passwd                              | outbound.refused.scheme
            gopher://127.0.0.1:6379/_INFO                   | outbound.refused.scheme
            //93.184.215.14/hook                            | outbound.refused.scheme
            http://exa mple.com/                            | outbound.refused.invalid
            """)
    void refuses_what_is_not_a_public_web_address(String url, String reason) {
        assertThatThrownBy(() -> guarded.target(url)).isInstanceOfSatisfying(OutboundCalls.Refused.class,
                refused -> assertThat(refused.messageKey()).isEqualTo(reason));
        assertThat(guarded.refusal(url)).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://93.184.215.14/hook", "https://8.8.8.8:8443/x?y=1", "http://172.32.0.1/", "http://100.128.0.1/",
            "http://[2606:4700:4700::1111]/", "http://[::ffff:8.8.8.8]/", "http://[2002:808:808::]/", "http://11.0.0.1/"})
    void lets_public_addresses_through(String url) throws Exception {
        assertThat(guarded.target(url).addresses()).isNotEmpty();
        assertThat(guarded.refusal(url)).isEmpty();
    }

    @Test
    void a_name_that_cannot_be_resolved_is_not_refused_on_saving_but_is_on_calling() {
        String url = "https://no-such-host.invalid/hook";
        assertThat(guarded.refusal(url)).isEmpty();
        assertThatThrownBy(() -> guarded.postJson(url, "{}", Map.of())).isInstanceOfSatisfying(OutboundCalls.Refused.class,
                refused -> assertThat(refused.messageKey()).isEqualTo("outbound.refused.unknown-host"));
    }

    @Test
    void the_operator_allows_exact_services_or_private_networks_but_never_link_local_by_the_switch() throws Exception {
        OutboundCalls exact = calls(false, List.of("127.0.0.1:9000", "hooks.internal", "10.8.0.0/16", "[fd00::5]:7000"));
        assertThat(exact.refusal("http://127.0.0.1:9000/hook")).isEmpty();
        assertThat(exact.refusal("http://127.0.0.1:9001/hook")).isPresent();
        assertThat(exact.refusal("http://10.8.200.1/")).isEmpty();
        assertThat(exact.refusal("http://10.9.0.1/")).isPresent();
        assertThat(exact.refusal("http://[fd00::5]:7000/")).isEmpty();
        assertThat(exact.refusal("http://[fd00::5]:7001/")).isPresent();
        assertThat(AllowedTargets.parse(List.of("hooks.internal")).permits("hooks.internal", 80, InetAddress.getByName("10.1.1.1"))).isTrue();
        assertThatThrownBy(() -> calls(false, List.of("http://x/y"))).isInstanceOf(IllegalArgumentException.class);

        OutboundCalls open = calls(true, List.of());
        assertThat(open.refusal("http://10.0.0.5/admin")).isEmpty();
        assertThat(open.refusal("http://localhost:8080/")).isEmpty();
        assertThat(open.refusal("http://169.254.169.254/latest/meta-data/")).isPresent();
        assertThat(open.refusal("http://[::ffff:169.254.169.254]/")).isPresent();
        assertThat(calls(true, List.of("169.254.169.254")).refusal("http://169.254.169.254/")).isEmpty();
    }

    @Test
    void calls_only_an_allowed_receiver_follows_no_redirect_and_reads_a_long_answer_only_up_to_the_limit() throws Exception {
        AtomicInteger hits = new AtomicInteger();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            hits.incrementAndGet();
            byte[] body = exchange.getRequestBody().readAllBytes();
            byte[] answer = ("got " + new String(body, StandardCharsets.UTF_8) + " " + exchange.getRequestHeaders().getFirst("X-Test")).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        receiver.createContext("/away", exchange -> {
            hits.incrementAndGet();
            exchange.getResponseHeaders().add("Location", "http://169.254.169.254/latest/meta-data/");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        receiver.createContext("/long", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            byte[] kilobyte = new byte[1024];
            java.util.Arrays.fill(kilobyte, (byte) 'x');
            try {
                for (int i = 0; i < 10_000; i++) {
                    exchange.getResponseBody().write(kilobyte);
                }
            } catch (java.io.IOException closedByTheCaller) {
                // expected: the caller stops reading at its limit
            }
            exchange.close();
        });
        receiver.start();
        try {
            String base = "http://127.0.0.1:" + receiver.getAddress().getPort();
            assertThatThrownBy(() -> guarded.postJson(base + "/hook", "{}", Map.of())).isInstanceOf(OutboundCalls.Refused.class);
            assertThat(hits).hasValue(0);

            OutboundCalls allowed = calls(false, List.of("127.0.0.1:" + receiver.getAddress().getPort()));
            OutboundCalls.Answer answer = allowed.postJson(base + "/hook", "{\"a\":1}", Map.of("X-Test", "yes"));
            assertThat(answer.ok()).isTrue();
            assertThat(answer.body()).isEqualTo("got {\"a\":1} yes");

            OutboundCalls.Answer redirected = allowed.postJson(base + "/away", "{}", Map.of());
            assertThat(redirected.status()).isEqualTo(302);
            assertThat(hits).hasValue(2);

            // The name is resolved once, by the check, and the connection goes to what the check saw: a name that would
            // answer otherwise the second time (DNS rebinding), or that no name server knows, changes nothing.
            AtomicInteger lookups = new AtomicInteger();
            OutboundCalls rebinding = new OutboundCalls(settings(false, List.of("127.0.0.1:" + receiver.getAddress().getPort())),
                    host -> new InetAddress[] {InetAddress.getByName(lookups.getAndIncrement() == 0 ? "127.0.0.1" : "169.254.169.254")});
            String rebound = "http://rebinding.invalid:" + receiver.getAddress().getPort() + "/hook";
            assertThat(rebinding.postJson(rebound, "{}", Map.of()).ok()).isTrue();
            assertThat(lookups).hasValue(1);
            assertThatThrownBy(() -> rebinding.postJson(rebound, "{}", Map.of())).isInstanceOf(OutboundCalls.Refused.class);
            assertThat(hits).hasValue(3);

            long started = System.nanoTime();
            OutboundCalls.Answer longOne = allowed.postJson(base + "/long", "{}", Map.of());
            assertThat(longOne.body()).hasSize(64 * 1024);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
        } finally {
            receiver.stop(0);
        }
    }

    private static OutboundCalls calls(boolean allowPrivate, List<String> allowed) {
        return new OutboundCalls(settings(allowPrivate, allowed));
    }

    private static OutboundSettings settings(boolean allowPrivate, List<String> allowed) {
        return new OutboundSettings(allowPrivate, allowed, Duration.ofSeconds(2), Duration.ofSeconds(3), DataSize.ofKilobytes(64));
    }
}
