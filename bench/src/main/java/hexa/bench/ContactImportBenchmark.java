package hexa.bench;

import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Contact import at scale: writes a CSV of 100,000 people (names, numbers in the ways people write
 * them, emails, companies, tags, a consent column; a few duplicates in other spellings and a few
 * invalid numbers), imports it into the demo workspace of a running Hexa CRM through
 * {@code POST /api/v1/contacts/imports}, follows {@code GET /api/v1/contacts/imports/{id}} until it is
 * done, then imports the same file again (every row now updates a known contact). Writes a Markdown
 * report to {@code bench/reports/}.
 *
 * <pre>./hexa bench import --demo-json data/demo.json [--rows 100000]</pre>
 */
public final class ContactImportBenchmark {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;
    private final String token;

    private ContactImportBenchmark(String baseUrl, String token) {
        this.baseUrl = baseUrl;
        this.token = token;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        String demo = Files.readString(Path.of(options.getOrDefault("--demo-json", "data/demo.json")));
        int rows = Integer.parseInt(options.getOrDefault("--rows", "100000"));
        ContactImportBenchmark bench = new ContactImportBenchmark(field(demo, "url"), field(demo, "apiToken"));
        // Numbers new to the workspace on every run, so that the first import of a run creates its contacts.
        long base = Long.parseLong(options.getOrDefault("--first-number", String.valueOf(6_000_000_000L + (System.currentTimeMillis() % 2000) * 1_000_000L)));
        byte[] csv = csv(rows, base, new Random(20));
        System.out.printf("CSV of %,d rows, %,d bytes%n", rows, csv.length);

        StringBuilder report = new StringBuilder("# Contact import benchmark\n\n");
        report.append(String.format("- when: %s%n- machine: %d cores, %,d MB memory for the JVM of this tool, %s %s; the app and PostgreSQL on the same machine%n",
                LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME), Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() / (1024 * 1024), System.getProperty("os.name"), System.getProperty("os.arch")));
        report.append(String.format("- file: %,d rows, %,d bytes (%.1f MB), CSV with a byte-order mark%n%n", rows, csv.length, csv.length / 1e6));
        report.append("| run | upload answered (s) | done after (s) | rows/s | created | updated | merged | rejected |\n|---|---|---|---|---|---|---|---|\n");
        for (String run : new String[] {"first import (creates)", "same file again (updates)"}) {
            String line = bench.importOnce(run, csv, rows);
            System.out.println(line);
            report.append(line).append('\n');
        }
        report.append("\nJVM of the bench: ").append(ManagementFactory.getRuntimeMXBean().getVmName()).append(' ')
                .append(System.getProperty("java.version")).append('\n');
        Path out = Path.of("bench", "reports", "contact-import-" + Long.toString(System.currentTimeMillis(), 36) + ".md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
        System.out.println("Report: " + out);
    }

    private String importOnce(String run, byte[] csv, int rows) throws Exception {
        long start = System.nanoTime();
        String boundary = "----hexabench" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"tags\"\r\n\r\nbenchmark\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"consentSource\"\r\n\r\nBenchmark sign-up sheet\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"bench-" + rows
                + ".csv\"\r\nContent-Type: text/csv\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(csv);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> started = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/contacts/imports"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .timeout(Duration.ofMinutes(2)).POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(),
                HttpResponse.BodyHandlers.ofString());
        if (started.statusCode() != 202) {
            throw new IllegalStateException("Import refused: " + started.statusCode() + " " + started.body());
        }
        double answered = (System.nanoTime() - start) / 1e9;
        String id = field(started.body(), "id");
        String status;
        String json;
        do {
            Thread.sleep(200);
            json = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/contacts/imports/" + id))
                    .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
            status = field(json, "status");
            if ((System.nanoTime() - start) / 1e9 > 600) {
                throw new IllegalStateException("Import still " + status + " after 10 minutes: " + json);
            }
        } while (!status.equals("done") && !status.equals("failed"));
        double seconds = (System.nanoTime() - start) / 1e9;
        if (status.equals("failed")) {
            throw new IllegalStateException("Import failed: " + json);
        }
        return String.format("| %s | %.1f | %.1f | %,.0f | %s | %s | %s | %s |", run, answered, seconds, rows / seconds, number(json, "created"),
                number(json, "updated"), number(json, "merged"), number(json, "rejected"));
    }

    /** People as a business's spreadsheet holds them; 1 % repeat an earlier number written another way, 0.5 % hold no number. */
    static byte[] csv(int rows, long base, Random random) {
        String[] first = {"Asha", "Ravi", "Meena", "Kiran", "Arjun", "Priya", "Vikram", "Neha", "Rahul", "Anita", "José", "Zoë"};
        String[] last = {"Patel", "Shah", "Kumar", "Iyer", "Reddy", "Singh", "Mehta", "Das", "Nair", "Joshi"};
        String[] companies = {"", "", "Acme Traders", "Masala Co", "Blue Tiles", "Sharma & Sons", "Green Grocers"};
        StringBuilder csv = new StringBuilder("\uFEFFName,Mobile,Email,Company,Tags,Consent\n");
        for (int i = 0; i < rows; i++) {
            long number = base + i * 7L;
            String written;
            if (i > 100 && random.nextInt(100) == 0) {
                long earlier = base + random.nextInt(i) * 7L;
                written = "0" + earlier;
            } else if (random.nextInt(200) == 0) {
                written = "none";
            } else {
                switch (i % 3) {
                    case 0 -> written = "+91 " + number;
                    case 1 -> written = "91-" + (number / 100_000) + "-" + String.format("%05d", number % 100_000);
                    default -> written = "0" + number;
                }
            }
            String name = first[random.nextInt(first.length)] + " " + last[random.nextInt(last.length)];
            csv.append(name).append(',').append(written).append(',').append("person").append(i).append("@example.com").append(',')
                    .append(companies[random.nextInt(companies.length)]).append(',').append(i % 10 == 0 ? "\"vip, wholesale\"" : "retail")
                    .append(',').append(i % 4 == 0 ? "yes" : i % 4 == 1 ? "no" : "").append('\n');
        }
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        if (!m.find()) {
            throw new IllegalArgumentException("No " + name + " in " + json);
        }
        return m.group(1);
    }

    private static String number(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*([0-9]+)").matcher(json);
        return m.find() ? m.group(1) : "?";
    }
}
