package hexa.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.identity.Fixtures;
import hexa.platform.access.Role;
import hexa.platform.config.HexaProperties;
import hexa.sandbox.numbers.SandboxNumbers;
import hexa.support.ApiClient;
import hexa.support.Eventually;
import hexa.support.SandboxCustomer;
import hexa.support.HexaIntegrationTest;
import hexa.support.Response;
import hexa.support.WebClient;
import hexa.whatsapp.graph.GraphClient;
import hexa.whatsapp.graph.GraphEndpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Sending files: uploaded through the API (checked by their real type against Meta's limits, kept
 * encrypted), uploaded to Meta's media endpoint by the sender at send time, and received by the
 * sandbox with Meta's media id and the caption.
 */
class OutboundMediaTest extends HexaIntegrationTest {

    static final String JPEG = "\u00ff\u00d8\u00ff\u00e0";
    static final String PNG = "\u0089PNG\r\n\u001a\n";
    static final String MP4 = "\u0000\u0000\u0000\u0018ftypmp42";
    static final String OGG_OPUS = "OggS" + "\u0000".repeat(24) + "OpusHead";
    static final String PDF = "%PDF-1.4\n";
    static final String STATIC_WEBP = "RIFF\u0000\u0000\u0000\u0000WEBPVP8L";
    static final String ANIMATED_WEBP = "RIFF\u0000\u0000\u0000\u0000WEBPVP8X\n\u0000\u0000\u0000\u0002";

    @Autowired
    SandboxNumbers sandbox;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    HexaProperties properties;

    @Autowired
    GraphClient graph;

    private final HttpClient http = HttpClient.newHttpClient();
    private Fixtures.TestWorkspace workspace;
    private ConnectionService.View number;
    private ApiClient agent;
    private SandboxCustomer phone;
    private String customer;

    @BeforeEach
    void aWorkspaceWithASandboxNumberAndACustomerWhoWrote() {
        Fixtures.SandboxWorkspace shop = fixtures.withSandboxNumber("Media Sending Co");
        workspace = shop.workspace();
        number = shop.number();
        agent = api(fixtures.apiToken(workspace, Role.AGENT));
        phone = shop.customer();
        customer = "9198765" + (10000 + new Random().nextInt(89999));
        phone.writes(customer, "Please send me the details " + customer);
    }

    @AfterEach
    void noUploadFailuresLeftForOthers() {
        phone.switches("{\"mediaUploadFailures\": 0, \"mediaUploadFailureCode\": 131000, \"mediaUploadFailurePhoneNumberId\": null}");
    }

    @Test
    void every_kind_of_media_arrives_at_meta_with_metas_media_id_and_its_caption() {
        record Case(String type, String filename, String mimeType, byte[] bytes, String caption) {
        }
        List<Case> cases = List.of(
                new Case("image", "front.jpg", "image/jpeg", file(JPEG, 40_000), "Front view"),
                new Case("video", "demo.mp4", "video/mp4", file(MP4, 60_000), "How it works"),
                new Case("audio", "note.ogg", "audio/ogg", file(OGG_OPUS, 9_000), null),
                new Case("document", "price-list.pdf", "application/pdf", file(PDF, 30_000), "Our prices"),
                new Case("sticker", "thanks.webp", "image/webp", file(STATIC_WEBP, 20_000), null));
        long uploadsBefore = phone.stat("mediaUploads");

        List<String> messageIds = new ArrayList<>();
        for (Case c : cases) {
            Response uploaded = agent.upload("/api/v1/media", "file", c.filename(), c.mimeType(), c.bytes());
            assertThat(uploaded.status()).as(uploaded.text()).isEqualTo(201);
            JsonNode upload = ApiClient.json(uploaded);
            assertThat(upload.get("kind").asString()).isEqualTo(c.type());
            assertThat(upload.get("mimeType").asString()).isEqualTo(c.mimeType());
            assertThat(upload.get("size").asLong()).isEqualTo(c.bytes().length);
            assertThat(upload.get("fileName").asString()).isEqualTo(c.filename());
            String object = "{\"id\": \"" + upload.get("id").asString() + "\"" + (c.caption() == null ? "" : ", \"caption\": \"" + c.caption() + "\"") + "}";
            Response queued = agent.send("POST", "/api/v1/messages",
                    "{\"to\": \"" + customer + "\", \"type\": \"" + c.type() + "\", \"" + c.type() + "\": " + object + "}");
            assertThat(queued.status()).as(queued.text()).isEqualTo(202);
            messageIds.add(ApiClient.json(queued).get("id").asString());
        }

        WebClient owner = browser();
        owner.signIn(workspace.owner().email(), Fixtures.PASSWORD);
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            JsonNode sent = awaitMessage(messageIds.get(i), m -> m.get("status").asString().matches("sent|delivered|read|played"));
            JsonNode line = businessLine(sent.get("whatsappId").asString());
            JsonNode media = line.get("content").get(c.type());
            assertThat(line.get("type").asString()).isEqualTo(c.type());
            assertThat(media.get("id").asString()).as("Meta's media id, not ours").matches("[0-9]+");
            assertThat(media.has("caption") ? media.get("caption").asString() : null).isEqualTo(c.caption());
            assertThat(sandboxMedia(media.get("id").asString())).as("Meta has the very file").isEqualTo(c.bytes());
            if ("document".equals(c.type())) {
                assertThat(media.get("filename").asString()).isEqualTo("price-list.pdf");
            }
            HttpResponse<byte[]> shown = bytes(owner, "/media/" + messageIds.get(i));
            assertThat(shown.statusCode()).as("the conversation shows what was sent").isEqualTo(200);
            assertThat(shown.body()).isEqualTo(c.bytes());
        }
        assertThat(phone.stat("mediaUploads")).isEqualTo(uploadsBefore + cases.size());
    }

    @Test
    void a_file_sent_twice_from_one_number_is_uploaded_to_meta_once() {
        String upload = uploadedId("logo.png", "image/png", file(PNG, 10_000));
        long uploadsBefore = phone.stat("mediaUploads");

        String first = send("image", upload, "Our logo");
        String second = send("image", upload, "Our logo again");

        String firstWamid = awaitMessage(first, this::accepted).get("whatsappId").asString();
        String secondWamid = awaitMessage(second, this::accepted).get("whatsappId").asString();
        assertThat(phone.stat("mediaUploads")).isEqualTo(uploadsBefore + 1);
        assertThat(businessLine(firstWamid).get("content").get("image").get("id").asString())
                .isEqualTo(businessLine(secondWamid).get("content").get("image").get("id").asString());
    }

    @Test
    void files_whatsapp_would_refuse_are_refused_with_the_limit_named_and_nothing_is_stored() {
        long uploadsBefore = phone.stat("mediaUploads");

        Response tooLarge = agent.upload("/api/v1/media", "file", "huge.jpg", "image/jpeg", file(JPEG, 5 * 1024 * 1024 + 1));
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(ApiClient.json(tooLarge).get("code").asString()).isEqualTo("media_too_large");
        assertThat(ApiClient.json(tooLarge).get("message").asString()).contains("5 MB").contains("image");

        Response bigSticker = agent.upload("/api/v1/media", "file", "big.webp", "image/webp", file(STATIC_WEBP, 150 * 1024));
        assertThat(bigSticker.status()).isEqualTo(413);
        assertThat(ApiClient.json(bigSticker).get("message").asString()).contains("100 KB");

        Response gif = agent.upload("/api/v1/media", "file", "funny.gif", "image/gif", file("GIF89a", 3_000));
        assertThat(gif.status()).isEqualTo(415);
        assertThat(ApiClient.json(gif).get("message").asString()).contains("image/gif").contains("JPEG and PNG images (up to 5 MB)");

        Response page = agent.upload("/api/v1/media", "file", "photo.jpg", "image/jpeg",
                "<html><script>alert(1)</script></html>".getBytes(StandardCharsets.UTF_8));
        assertThat(page.status()).as("a web page posing as a photo").isEqualTo(400);
        assertThat(ApiClient.json(page).get("code").asString()).isEqualTo("media_type_mismatch");

        Response pdfAsPhoto = agent.upload("/api/v1/media", "file", "photo.jpg", "image/jpeg", file(PDF, 2_000));
        assertThat(pdfAsPhoto.status()).isEqualTo(400);
        assertThat(ApiClient.json(pdfAsPhoto).get("message").asString()).contains("image/jpeg").contains("application/pdf");

        Response vorbis = agent.upload("/api/v1/media", "file", "song.ogg", "audio/ogg", file("OggS" + "\u0000".repeat(24) + "\u0001vorbis", 4_000));
        assertThat(vorbis.status()).as("WhatsApp takes Ogg with Opus only").isEqualTo(400);

        Response empty = agent.upload("/api/v1/media", "file", "nothing.jpg", "image/jpeg", new byte[0]);
        assertThat(empty.status()).isEqualTo(400);
        assertThat(ApiClient.json(empty).get("message").asString()).contains("empty");

        Response noFile = agent.upload("/api/v1/media", "attachment", "front.jpg", "image/jpeg", file(JPEG, 1_000));
        assertThat(noFile.status()).isEqualTo(400);
        assertThat(ApiClient.json(noFile).get("message").asString()).contains("\"file\"");

        Response analyst = api(fixtures.apiToken(workspace, Role.ANALYST)).upload("/api/v1/media", "file", "front.jpg", "image/jpeg",
                file(JPEG, 1_000));
        assertThat(analyst.status()).isEqualTo(403);

        assertThat(jdbc.sql("select count(*) from media_uploads where tenant_id = :t").param("t", workspace.id()).query(Integer.class).single())
                .isZero();
        assertThat(storedFiles()).isEmpty();
        assertThat(phone.stat("mediaUploads")).as("nothing went to Meta").isEqualTo(uploadsBefore);
    }

    @Test
    void the_type_is_read_from_the_bytes_not_from_the_label() {
        JsonNode unlabelled = ApiClient.json(agent.upload("/api/v1/media", "file", "scan", "application/octet-stream", file(PDF, 5_000)));
        assertThat(unlabelled.get("kind").asString()).isEqualTo("document");
        assertThat(unlabelled.get("mimeType").asString()).isEqualTo("application/pdf");

        JsonNode mislabelled = ApiClient.json(agent.upload("/api/v1/media", "file", "chart.jpg", "image/jpeg", file(PNG, 5_000)));
        assertThat(mislabelled.get("mimeType").asString()).as("a PNG called a JPEG is still an image, sent as what it is").isEqualTo("image/png");

        JsonNode animated = ApiClient.json(agent.upload("/api/v1/media", "file", "dance.webp", "image/webp", file(ANIMATED_WEBP, 300 * 1024)));
        assertThat(animated.get("kind").asString()).as("animated stickers may have up to 500 KB").isEqualTo("sticker");

        JsonNode notes = ApiClient.json(agent.upload("/api/v1/media", "file", "notes.txt", "text/plain",
                "Delivery on Tuesday\nकृपया पुष्टि करें\n".getBytes(StandardCharsets.UTF_8)));
        assertThat(notes.get("kind").asString()).isEqualTo("document");
        assertThat(notes.get("mimeType").asString()).isEqualTo("text/plain");

        assertThat(storedFiles()).as("kept in the blob store").hasSize(4);
        for (Path stored : storedFiles()) {
            String onDisk = new String(readAll(stored), StandardCharsets.ISO_8859_1);
            assertThat(onDisk).as("encrypted at rest").doesNotContain("%PDF-").doesNotContain("Delivery on Tuesday");
        }
    }

    @Test
    void several_attachments_are_checked_together_and_leave_in_their_order() {
        String photo = uploadedId("room.jpg", "image/jpeg", file(JPEG, 8_000));
        String brochure = uploadedId("brochure.pdf", "application/pdf", file(PDF, 8_000));
        String voice = uploadedId("directions.ogg", "audio/ogg", file(OGG_OPUS, 8_000));
        int before = messageCount();

        Response unknownAmongThem = agent.send("POST", "/api/v1/messages/attachments", "{\"to\": \"" + customer + "\", \"attachments\": [\""
                + photo + "\", \"" + UUID.randomUUID() + "\"]}");
        assertThat(unknownAmongThem.status()).isEqualTo(404);
        Response captionNowhere = agent.send("POST", "/api/v1/messages/attachments", "{\"to\": \"" + customer + "\", \"attachments\": [\""
                + voice + "\"], \"caption\": \"Listen\"}");
        assertThat(captionNowhere.status()).isEqualTo(400);
        Response none = agent.send("POST", "/api/v1/messages/attachments", "{\"to\": \"" + customer + "\", \"attachments\": []}");
        assertThat(none.status()).isEqualTo(400);
        assertThat(messageCount()).as("all or nothing").isEqualTo(before);

        // The first one's upload to Meta fails once: the others wait for it rather than overtake it.
        failNextUpload(131016);
        Response queued = agent.send("POST", "/api/v1/messages/attachments", "{\"to\": \"" + customer + "\", \"attachments\": [\""
                + voice + "\", \"" + photo + "\", \"" + brochure + "\"], \"caption\": \"The room and how to get there\"}");

        assertThat(queued.status()).as(queued.text()).isEqualTo(202);
        JsonNode items = ApiClient.json(queued).get("items");
        assertThat(items).hasSize(3);
        assertThat(Stream.of(0, 1, 2).map(i -> items.get(i).get("type").asString())).containsExactly("audio", "image", "document");
        assertThat(items.get(1).get("content").get("image").get("caption").asString())
                .as("the caption goes on the first attachment that can carry one").isEqualTo("The room and how to get there");
        List<String> wamids = new ArrayList<>();
        for (JsonNode item : items) {
            wamids.add(awaitMessage(item.get("id").asString(), this::accepted).get("whatsappId").asString());
        }
        List<String> arrived = new ArrayList<>();
        for (JsonNode line : phone.chat(customer).get("lines")) {
            if (wamids.contains(line.get("id").asString())) {
                arrived.add(line.get("id").asString());
            }
        }
        assertThat(arrived).as("Meta received them in the order given").isEqualTo(wamids);
        assertThat(jdbc.sql("select attempts from messages where tenant_id = :t and id = :id").param("t", workspace.id())
                .param("id", UUID.fromString(items.get(0).get("id").asString())).query(Integer.class).single())
                .as("the first one was retried").isEqualTo(2);
    }

    @Test
    void an_upload_meta_cannot_take_for_a_moment_is_tried_again_and_the_message_sent() {
        String upload = uploadedId("menu.jpg", "image/jpeg", file(JPEG, 6_000));
        failNextUpload(131000);

        String id = send("image", upload, "Today's menu");

        Eventually.await(() -> jdbc.sql("select last_error from messages where tenant_id = :t and id = :id")
                .param("t", workspace.id()).param("id", UUID.fromString(id)).query(String.class).optional().orElse(null),
                error -> error != null, "the failed upload to be noted");
        JsonNode sent = awaitMessage(id, this::accepted);
        assertThat(sent.get("errorCode").isNull()).isTrue();
        assertThat(jdbc.sql("select attempts from messages where tenant_id = :t and id = :id").param("t", workspace.id())
                .param("id", UUID.fromString(id)).query(Integer.class).single()).as("failed once, then sent").isEqualTo(2);
        assertThat(businessLine(sent.get("whatsappId").asString()).get("content").get("image").get("caption").asString())
                .isEqualTo("Today's menu");
    }

    @Test
    void an_upload_meta_refuses_fails_the_message_with_the_explanation() {
        String upload = uploadedId("scan.pdf", "application/pdf", file(PDF, 6_000));
        failNextUpload(131053);
        long acceptedBefore = phone.stat("accepted");

        String id = send("document", upload, "Your invoice");

        JsonNode failed = awaitMessage(id, m -> m.get("status").asString().equals("failed"));
        assertThat(failed.get("errorCode").asInt()).isEqualTo(131053);
        assertThat(failed.get("errorText").asString()).contains("WhatsApp could not use the media");
        assertThat(phone.stat("accepted")).as("no message went out").isEqualTo(acceptedBefore);
        assertThat(jdbc.sql("select attempts from messages where tenant_id = :t and id = :id").param("t", workspace.id())
                .param("id", UUID.fromString(id)).query(Integer.class).single()).as("never retried").isEqualTo(1);
    }

    @Test
    void a_media_send_interrupted_after_the_upload_reuses_metas_copy_and_is_sent_once() {
        byte[] photo = file(JPEG, 7_000);
        String upload = uploadedId("shelf.jpg", "image/jpeg", photo);
        // The crashed attempt had uploaded the file to Meta and remembered its id, then died before sending.
        String metaId = uploadedAtMeta(upload, photo);
        long uploadsBefore = phone.stat("mediaUploads");
        long acceptedBefore = phone.stat("accepted");
        String id = givenAnInterruptedMediaSend(upload, java.time.Duration.ZERO, java.time.Duration.ofMinutes(3));
        // Its outcome is unknown: held until Meta's webhooks for the number flow again and its hold has passed
        // (UncertainSends), here with nothing from Meta naming it.
        awaitMessage(id, m -> m.get("status").asString().equals("uncertain"));
        phone.writes(customer, "Any news?");
        clock.advance(java.time.Duration.ofMinutes(10));

        JsonNode sent = awaitMessage(id, this::accepted);

        assertThat(businessLine(sent.get("whatsappId").asString()).get("content").get("image").get("id").asString()).isEqualTo(metaId);
        assertThat(phone.stat("mediaUploads")).as("not uploaded again").isEqualTo(uploadsBefore);
        assertThat(phone.stat("accepted")).as("sent once").isEqualTo(acceptedBefore + 1);
    }

    @Test
    void a_media_send_whose_answer_was_lost_in_a_crash_is_recognised_from_metas_status_and_never_sent_twice() {
        byte[] photo = file(JPEG, 7_000);
        String upload = uploadedId("door.jpg", "image/jpeg", photo);
        String metaId = uploadedAtMeta(upload, photo);
        long acceptedBefore = phone.stat("accepted");
        String id = givenAnInterruptedMediaSend(upload, java.time.Duration.ofMinutes(2), java.time.Duration.ZERO);
        // ... while Meta did accept it:
        Response accepted = new ApiClient(baseUrl(), sandbox.find(number.phoneNumberId()).orElseThrow().accessToken()).send("POST",
                "/sandbox/graph/v25.0/" + number.phoneNumberId() + "/messages",
                "{\"messaging_product\": \"whatsapp\", \"to\": \"" + customer + "\", \"type\": \"image\", \"image\": {\"id\": \"" + metaId
                        + "\"}, \"biz_opaque_callback_data\": \"" + id + "\"}");
        String wamid = ApiClient.json(accepted).get("messages").get(0).get("id").asString();

        JsonNode reconciled = awaitMessage(id, m -> m.get("status").asString().matches("delivered|read"));

        assertThat(reconciled.get("whatsappId").asString()).isEqualTo(wamid);
        assertThat(phone.stat("accepted")).as("Meta received it exactly once").isEqualTo(acceptedBefore + 1);
    }

    @Test
    void a_copy_meta_no_longer_has_is_uploaded_again() {
        byte[] photo = file(JPEG, 7_000);
        String upload = uploadedId("gone.jpg", "image/jpeg", photo);
        String metaId = uploadedAtMeta(upload, photo);
        GraphEndpoint endpoint = new GraphEndpoint(baseUrl() + "/sandbox/graph", "v25.0",
                sandbox.find(number.phoneNumberId()).orElseThrow().accessToken());
        graph.deleteMedia(endpoint, metaId);
        long uploadsBefore = phone.stat("mediaUploads");

        String id = send("image", upload, "Here it is");

        JsonNode sent = awaitMessage(id, this::accepted);
        assertThat(businessLine(sent.get("whatsappId").asString()).get("content").get("image").get("id").asString()).isNotEqualTo(metaId);
        assertThat(phone.stat("mediaUploads")).isEqualTo(uploadsBefore + 1);
    }

    @Test
    void media_follows_the_24_hour_window_and_metas_rules_for_ids_links_and_captions() {
        String photo = uploadedId("late.jpg", "image/jpeg", file(JPEG, 4_000));
        String voice = uploadedId("late.ogg", "audio/ogg", file(OGG_OPUS, 4_000));
        int before = messageCount();

        Response outside = agent.send("POST", "/api/v1/messages",
                "{\"to\": \"919800099999\", \"type\": \"image\", \"image\": {\"id\": \"" + photo + "\"}}");
        assertThat(outside.status()).isEqualTo(422);
        assertThat(ApiClient.json(outside).get("code").asString()).isEqualTo("outside_window");

        assertThat(agent.send("POST", "/api/v1/messages", "{\"to\": \"" + customer + "\", \"type\": \"audio\", \"audio\": {\"id\": \""
                + voice + "\", \"caption\": \"Listen\"}}").status()).as("audio has no caption").isEqualTo(400);
        assertThat(agent.send("POST", "/api/v1/messages", "{\"to\": \"" + customer + "\", \"type\": \"document\", \"document\": {\"id\": \""
                + photo + "\"}}").status()).as("an image upload is not a document").isEqualTo(400);
        assertThat(agent.send("POST", "/api/v1/messages", "{\"to\": \"" + customer + "\", \"type\": \"image\", \"image\": {\"id\": \""
                + photo + "\", \"link\": \"https://example.com/a.jpg\"}}").status()).as("id or link, not both").isEqualTo(400);
        assertThat(agent.send("POST", "/api/v1/messages", "{\"to\": \"" + customer + "\", \"type\": \"image\", \"image\": {\"id\": \""
                + photo + "\", \"caption\": \"" + "x".repeat(1025) + "\"}}").status()).isEqualTo(400);
        assertThat(messageCount()).isEqualTo(before);
        assertThat(jdbc.sql("select count(*) from media_files where tenant_id = :t").param("t", workspace.id()).query(Integer.class).single())
                .isZero();

        Response byLink = agent.send("POST", "/api/v1/messages", "{\"to\": \"" + customer
                + "\", \"type\": \"image\", \"image\": {\"link\": \"https://cdn.example.com/p/1.jpg\", \"caption\": \"From our site\"}}");
        assertThat(byLink.status()).isEqualTo(202);
        JsonNode sent = awaitMessage(ApiClient.json(byLink).get("id").asString(), this::accepted);
        assertThat(businessLine(sent.get("whatsappId").asString()).get("content").get("image").get("link").asString())
                .as("links pass through as Meta defines them").isEqualTo("https://cdn.example.com/p/1.jpg");
    }

    @Test
    void another_workspaces_uploads_are_not_found() {
        byte[] secret = file(JPEG, 4_000);
        String upload = uploadedId("contract-photo.jpg", "image/jpeg", secret);

        var other = fixtures.workspace("Nosy Co");
        ApiClient stranger = api(fixtures.apiToken(other, Role.ADMIN));
        fixtures.withSandboxNumber(other);
        assertThat(stranger.get("/api/v1/media/" + upload).status()).isEqualTo(404);
        Response send = stranger.send("POST", "/api/v1/messages", "{\"to\": \"" + customer + "\", \"type\": \"image\", \"image\": {\"id\": \""
                + upload + "\"}}");
        assertThat(send.status()).isEqualTo(404);
        assertThat(send.text()).doesNotContain("contract-photo");
        assertThat(stranger.send("POST", "/api/v1/messages/attachments", "{\"to\": \"" + customer + "\", \"attachments\": [\"" + upload
                + "\"]}").status()).isEqualTo(404);
        WebClient strangerBrowser = browser();
        strangerBrowser.signIn(other.owner().email(), Fixtures.PASSWORD);
        assertThat(bytes(strangerBrowser, "/media/" + upload).statusCode()).isEqualTo(404);

        assertThat(ApiClient.json(agent.get("/api/v1/media/" + upload)).get("fileName").asString()).isEqualTo("contract-photo.jpg");
        WebClient owner = browser();
        owner.signIn(workspace.owner().email(), Fixtures.PASSWORD);
        assertThat(bytes(owner, "/media/" + upload).body()).as("members see an upload before it is sent").isEqualTo(secret);
    }

    // --- helpers ---

    private boolean accepted(JsonNode message) {
        return message.get("whatsappId") != null && !message.get("whatsappId").isNull();
    }

    private String uploadedId(String filename, String mimeType, byte[] bytes) {
        Response uploaded = agent.upload("/api/v1/media", "file", filename, mimeType, bytes);
        assertThat(uploaded.status()).as(uploaded.text()).isEqualTo(201);
        return ApiClient.json(uploaded).get("id").asString();
    }

    private String send(String type, String uploadId, String caption) {
        Response queued = agent.send("POST", "/api/v1/messages", "{\"to\": \"" + customer + "\", \"type\": \"" + type + "\", \"" + type
                + "\": {\"id\": \"" + uploadId + "\", \"caption\": \"" + caption + "\"}}");
        assertThat(queued.status()).as(queued.text()).isEqualTo(202);
        return ApiClient.json(queued).get("id").asString();
    }

    /** Uploads the bytes to the sandbox as the number, and remembers Meta's id for the upload, as a sender does. */
    private String uploadedAtMeta(String uploadId, byte[] bytes) {
        GraphEndpoint endpoint = new GraphEndpoint(baseUrl() + "/sandbox/graph", "v25.0",
                sandbox.find(number.phoneNumberId()).orElseThrow().accessToken());
        String metaId = graph.uploadMedia(endpoint, number.phoneNumberId(), bytes, "image/jpeg", "photo.jpg");
        jdbc.sql("""
                insert into media_uploads_at_meta (tenant_id, upload_id, connection_id, media_id, uploaded_at)
                values (:t, cast(:upload as uuid), :connection, :media, now())
                """).param("t", workspace.id()).param("upload", uploadId).param("connection", number.id()).param("media", metaId).update();
        return metaId;
    }

    /**
     * An image message as a sender that died mid-attempt leaves it: QUEUED, its upload linked, its
     * attempt begun {@code startedAgo} ago, leased for {@code leaseLeft} more (on the app's clock), no WhatsApp id.
     */
    private String givenAnInterruptedMediaSend(String uploadId, java.time.Duration leaseLeft, java.time.Duration startedAgo) {
        java.time.Instant now = clock.instant(); // the sender reads due times on the app's clock
        String id = UUID.randomUUID().toString();
        jdbc.sql("""
                insert into messages (tenant_id, id, conversation_id, contact_id, connection_id, direction, type, body, content, status,
                                      sent_at, created_at, next_attempt_at, send_started_at)
                select tenant_id, cast(:id as uuid), conversation_id, contact_id, :connection, 'OUTBOUND', 'image', null,
                       jsonb_build_object('type', 'image', 'image', jsonb_build_object('id', cast(:upload as text))), 'QUEUED', :now, :now,
                       :next, :started
                  from messages where tenant_id = :t and direction = 'INBOUND' order by created_at desc limit 1
                """)
                .param("now", hexa.platform.database.Sql.ts(now)).param("next", hexa.platform.database.Sql.ts(now.plus(leaseLeft)))
                .param("started", hexa.platform.database.Sql.ts(now.minus(startedAgo)))
                .param("t", workspace.id()).param("id", id).param("connection", number.id()).param("upload", uploadId).update();
        jdbc.sql("""
                insert into media_files (tenant_id, message_id, kind, mime_type, sha256, size_bytes, filename, blob_key, state,
                                         next_attempt_at, created_at, stored_at, upload_id)
                select tenant_id, cast(:id as uuid), kind, mime_type, sha256, size_bytes, filename, blob_key, 'STORED', now(), now(), now(), id
                  from media_uploads where tenant_id = :t and id = cast(:upload as uuid)
                """).param("t", workspace.id()).param("id", id).param("upload", uploadId).update();
        return id;
    }

    /** This number's next upload to Meta is refused with the code; other tests' uploads, still on their way, are not. */
    private void failNextUpload(int code) {
        phone.switches("{\"mediaUploadFailures\": 1, \"mediaUploadFailureCode\": " + code + ", \"mediaUploadFailurePhoneNumberId\": \""
                + number.phoneNumberId() + "\"}");
    }

    private JsonNode businessLine(String wamid) {
        for (JsonNode line : phone.chat(customer).get("lines")) {
            if (line.get("id").asString().equals(wamid)) {
                return line;
            }
        }
        throw new AssertionError("The sandbox has no message " + wamid);
    }

    @Autowired
    hexa.sandbox.access.ControlToken sandboxToken;

    private byte[] sandboxMedia(String metaId) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl() + "/sandbox/api/media/" + metaId)).GET()
                .header("Authorization", "Bearer " + sandboxToken.value())).body();
    }

    private HttpResponse<byte[]> bytes(WebClient who, String path) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).GET().header("Cookie", "HEXA_SESSION=" + who.sessionId()));
    }

    private HttpResponse<byte[]> send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private int messageCount() {
        return jdbc.sql("select count(*) from messages where tenant_id = :t").param("t", workspace.id()).query(Integer.class).single();
    }

    private List<Path> storedFiles() {
        Path uploads = properties.dataDir().toAbsolutePath().normalize().resolve("media").resolve(workspace.id().toString()).resolve("uploads");
        if (!Files.isDirectory(uploads)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(uploads)) {
            return files.filter(Files::isRegularFile).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] readAll(Path path) {
        try {
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A file of the given size that starts with the given signature (Latin-1) and goes on with noise. */
    static byte[] file(String signature, int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        byte[] head = signature.getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(head, 0, bytes, 0, Math.min(head.length, size));
        return bytes;
    }

    /** Our message as the API shows it, once it meets the condition. */
    private JsonNode awaitMessage(String id, java.util.function.Predicate<JsonNode> condition) {
        return Eventually.await(() -> ApiClient.json(agent.get("/api/v1/messages/" + id)), condition, "message " + id + " to reach the expected state");
    }

}
