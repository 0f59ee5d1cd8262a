package hexa.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The processes a bench starts itself, so that it can kill and restart them: the app (its own data directory, the
 * embedded PostgreSQL in it, {@code --hexa.demo=true}) and the standalone sandbox playing Meta.
 */
final class BenchProcesses {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    private BenchProcesses() {
    }

    /** An HTTP answer: its status and its body read as JSON (null when it is not JSON). */
    record Answer(int status, String body) {
        JsonNode json() {
            try {
                return body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
            } catch (RuntimeException notJson) {
                return JSON.createObjectNode();
            }
        }

        Answer expect(int... statuses) {
            for (int s : statuses) {
                if (status == s) {
                    return this;
                }
            }
            throw new IllegalStateException("answered " + status + ": " + body);
        }
    }

    static Answer call(String method, String url, String bearer, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        if (json != null) {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (IOException e) {
            return new Answer(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static List<String> command(String jvmOptions, Path jar, List<String> arguments) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String option : jvmOptions.trim().split("\\s+")) {
            if (!option.isEmpty()) {
                command.add(option);
            }
        }
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(arguments);
        return command;
    }

    static Process start(List<String> command, Path log) throws IOException {
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    /** The standalone sandbox, with its default Graph latency (150 ms ± 10) and the bench's control token. */
    static final class Sandbox {
        final Process process;
        final String url;
        final String controlToken;

        Sandbox(Path jar, String jvm, int port, String controlToken, Path log) throws Exception {
            this.controlToken = controlToken;
            this.url = "http://127.0.0.1:" + port;
            this.process = start(command(jvm, jar, List.of("--port", Integer.toString(port), "--control-token", controlToken)), log);
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (control("GET", "/switches", null).status() != 200) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("The sandbox did not start; see " + log);
                }
                Thread.sleep(250);
            }
        }

        Answer control(String method, String path, String json) {
            return call(method, url + "/sandbox/api" + path, controlToken, json);
        }

        void stop() {
            process.destroy();
        }
    }

    /** The app, started and (after a kill -9) restarted with the same data directory; {@code demo.json} is read after each start. */
    static final class App {
        private final List<String> command;
        private final Path dataDir;
        private final Path log;
        private Process process;
        JsonNode demo;

        App(Path jar, String jvm, int port, Path dataDir, String graphUrl, Path log) {
            this.dataDir = dataDir;
            this.log = log;
            this.command = command(jvm, jar, List.of("--hexa.port=" + port, "--hexa.data-dir=" + dataDir, "--hexa.demo=true",
                    // The numbers the bench connects are the standalone sandbox's: Meta's Graph API is there.
                    "--hexa.whatsapp.graph-url=" + graphUrl));
        }

        /** Starts the app and waits until it wrote a fresh demo.json and its API answers with the token in it; the seconds it took. */
        double start(Duration patience) throws Exception {
            long started = System.nanoTime();
            Path demoFile = dataDir.resolve("demo.json");
            FileTime before = Files.exists(demoFile) ? Files.getLastModifiedTime(demoFile) : FileTime.fromMillis(0);
            Files.createDirectories(dataDir);
            process = BenchProcesses.start(command, log);
            long deadline = started + patience.toNanos();
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("The app stopped while starting; see " + log);
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("The app did not start within " + patience.toSeconds() + " s; see " + log);
                }
                if (Files.exists(demoFile) && Files.getLastModifiedTime(demoFile).compareTo(before) > 0) {
                    try {
                        demo = JSON.readTree(Files.readString(demoFile));
                        if (api("GET", "/api/v1/whatsapp/connections", null).status() == 200) {
                            return (System.nanoTime() - started) / 1e9;
                        }
                    } catch (RuntimeException | IOException halfWritten) {
                        // written while we read it: next round
                    }
                }
                Thread.sleep(250);
            }
        }

        /** Ends the app as a crash would: SIGKILL, no shutdown hooks, nothing flushed. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor();
        }

        void stop() throws InterruptedException {
            if (process != null && process.isAlive()) {
                process.destroy();
                process.waitFor();
            }
        }

        long pid() {
            return process.pid();
        }

        String url() {
            return demo.path("url").asString();
        }

        String apiToken() {
            return demo.path("apiToken").asString();
        }

        java.util.UUID workspace() {
            return java.util.UUID.fromString(demo.path("workspace").path("id").asString());
        }

        Answer api(String method, String path, String json) {
            return call(method, url() + path, apiToken(), json);
        }

        /** The embedded PostgreSQL of the data directory (its port in pg/postmaster.pid, its password in pg.password). */
        String jdbcUrl() throws Exception {
            return InboxBenchmark.jdbcUrlOf(dataDir.resolve("demo.json"));
        }
    }
}
