package hexa.whatsapp;

import hexa.contacts.Contact;
import hexa.contacts.ContactService;
import hexa.platform.DemoConversationsSeeded;
import hexa.platform.DemoData;
import hexa.platform.access.Role;
import hexa.platform.tenant.Actor;
import hexa.platform.tenant.TenantContext;
import hexa.sandbox.SandboxClock;
import hexa.sandbox.customers.Chats;
import hexa.sandbox.customers.CustomerMessages;
import hexa.sandbox.numbers.BusinessNumber;
import hexa.sandbox.numbers.SandboxNumbers;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code ./hexa run --demo} is never an empty inbox: five customers write to the demo number from the sandbox's phone
 * over the past few days (the sandbox dates their messages back), the way Meta would deliver them (signed webhooks into
 * the normal intake): texts, photos, a voice note, a location, an order, an ad's first message, a Flow's answer, an
 * edited and a deleted message, a reaction. The business answers those it still may (within 24 hours), one customer
 * writes STOP and the consent keywords' listener opts her out and answers. When all of it is in,
 * {@link DemoConversationsSeeded} lets the contacts and the inbox add tags, notes, assignments and a resolved
 * conversation through their own services. Only once: not when the demo number already has messages here, or chats
 * on the sandbox's side.
 */
@Component
class DemoConversations {

    private static final Logger log = LoggerFactory.getLogger(DemoConversations.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration PATIENCE = Duration.ofSeconds(90);

    static final String ASHA = "919812300001";
    static final String RAVI = "919812300002";
    static final String MEERA = "919812300003";
    static final String KABIR = "919812300004";
    static final String SARA = "919812300005";

    /** What the contacts and the inbox add once the messages are in. */
    static final List<DemoConversationsSeeded.Customer> CUSTOMERS = List.of(
            new DemoConversationsSeeded.Customer(ASHA, List.of("vip", "kurta"), "Prefers delivery after 6 pm; pays by UPI.", "AGENT",
                    null, false),
            new DemoConversationsSeeded.Customer(RAVI, List.of("wholesale"), "Runs a boutique in Pune; asks for bulk prices.", "OWNER",
                    "Quote 10% off for 20 pieces or more.", false),
            new DemoConversationsSeeded.Customer(MEERA, List.of(), null, null, null, false),
            new DemoConversationsSeeded.Customer(KABIR, List.of("replacement"), null, "AGENT",
                    "Replacement sent by courier, tracking number HX-2041.", true),
            new DemoConversationsSeeded.Customer(SARA, List.of("lead", "festive-ad"), null, null, null, false));

    private final ObjectProvider<SandboxNumbers> numbers;
    private final ObjectProvider<CustomerMessages> customers;
    private final ObjectProvider<Chats> chats;
    private final ObjectProvider<SandboxClock> sandboxClock;
    private final ConnectionService connections;
    private final ContactService contacts;
    private final SendService sending;
    private final TransactionTemplate transaction;
    private final ApplicationEventPublisher events;
    private final JdbcClient jdbc;
    private final AtomicBoolean seeding = new AtomicBoolean();

    DemoConversations(ObjectProvider<SandboxNumbers> numbers, ObjectProvider<CustomerMessages> customers, ObjectProvider<Chats> chats,
                      ObjectProvider<SandboxClock> sandboxClock, ConnectionService connections, ContactService contacts, SendService sending,
                      TransactionTemplate transaction, ApplicationEventPublisher events, JdbcClient jdbc) {
        this.numbers = numbers;
        this.customers = customers;
        this.chats = chats;
        this.sandboxClock = sandboxClock;
        this.connections = connections;
        this.contacts = contacts;
        this.sending = sending;
        this.transaction = transaction;
        this.events = events;
        this.jdbc = jdbc;
    }

    /** After the demo number is connected ({@code SandboxNumbersAtStartup}). */
    @Order(20)
    @EventListener
    void demo(DemoData demo) {
        if (numbers.getIfAvailable() == null || customers.getIfAvailable() == null) {
            return;
        }
        boolean hasMessages = jdbc.sql("select exists (select 1 from messages where tenant_id = :t)")
                .param("t", demo.workspaceId()).query(Boolean.class).single();
        if (hasMessages) {
            return;
        }
        Optional<BusinessNumber> number;
        try (TenantContext.Scope ignored = TenantContext.enter(Actor.system(demo.workspaceId(), "Demo"))) {
            number = connections.connections().stream().filter(c -> c.kind() == Connection.Kind.SANDBOX).findFirst()
                    .flatMap(view -> numbers.getObject().find(view.phoneNumberId()));
        }
        if (number.isEmpty() || !chats.getObject().ofNumber(number.get().phoneNumberId()).isEmpty() || !seeding.compareAndSet(false, true)) {
            return;
        }
        Actor owner = Actor.member(demo.workspaceId(), Role.OWNER, demo.ownerId(), demo.ownerName());
        Runnable start = () -> {
            Thread thread = new Thread(() -> seed(number.get(), owner), "demo-conversations");
            thread.setDaemon(true);
            thread.start();
        };
        // The customers write once the demo workspace and its number are committed, so that their webhooks find them.
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    if (status == STATUS_COMMITTED) {
                        start.run();
                    } else {
                        seeding.set(false);
                    }
                }
            });
        } else {
            start.run();
        }
    }

    private void seed(BusinessNumber number, Actor owner) {
        try {
            new Script(number, owner).run();
        } catch (RuntimeException e) {
            log.warn("The demo conversations were not all written: {}", e.toString());
        } finally {
            seeding.set(false);
        }
    }

    /** The demo's few days of conversation, written in the order they happened. */
    private final class Script {

        private final BusinessNumber number;
        private final Actor owner;
        private final Instant now;
        private final List<String> sent = new ArrayList<>();

        Script(BusinessNumber number, Actor owner) {
            this.number = number;
            this.owner = owner;
            this.now = sandboxClock.getObject().now();
        }

        void run() {
            // Two days ago: Asha asks about a kurta and shows which; Sara comes from an ad.
            text(ASHA, "Asha Verma", ago(Duration.ofDays(2).plusHours(3)), "Hi! Is the blue cotton kurta available in size M?");
            media(ASHA, "Asha Verma", ago(Duration.ofDays(2).plusHours(3).minusMinutes(1)), "image", "This one, from your Instagram page");
            ObjectNode fromAd = message("text", ago(Duration.ofDays(2).plusHours(1)));
            fromAd.putObject("text").put("body", "Hello! Can I get more info on this?");
            ObjectNode referral = fromAd.putObject("referral");
            referral.put("source_url", "https://fb.me/demo-festive-kurtas");
            referral.put("source_id", "120226305854810726");
            referral.put("source_type", "ad");
            referral.put("headline", "Festive kurtas: 20% off");
            referral.put("body", "Hand-block printed cotton, sizes S to XXL.");
            referral.put("media_type", "image");
            referral.put("image_url", "https://example.com/demo/festive-kurtas.jpg");
            referral.put("ctwa_clid", "demo-click-1");
            send(SARA, "Sara Khan", fromAd);
            text(SARA, "Sara Khan", ago(Duration.ofDays(2)), "Do you have it in red as well?");
            // Yesterday: Asha orders; Ravi asks about delivery and shares where he is.
            ObjectNode order = message("order", ago(Duration.ofDays(1).plusHours(5)));
            ObjectNode items = order.putObject("order").put("catalog_id", "194836987003835").put("text", "");
            items.putArray("product_items").addObject().put("product_retailer_id", "kurta-blue-m").put("quantity", 2)
                    .put("item_price", 799).put("currency", "INR");
            ((tools.jackson.databind.node.ArrayNode) items.get("product_items")).addObject().put("product_retailer_id", "dupatta-white")
                    .put("quantity", 1).put("item_price", 349).put("currency", "INR");
            send(ASHA, "Asha Verma", order);
            text(RAVI, "Ravi Menon", ago(Duration.ofDays(1).plusHours(2)), "Do you deliver to Pune? How long does it take?");
            ObjectNode location = message("location", ago(Duration.ofDays(1).plusHours(2).minusMinutes(2)));
            location.putObject("location").put("latitude", 18.5204).put("longitude", 73.8567).put("name", "Menon Boutique")
                    .put("address", "FC Road, Shivajinagar, Pune 411004");
            send(RAVI, "Ravi Menon", location);
            // Today: Kabir's parcel came damaged (and he deletes a photo sent by mistake); Ravi sends a voice note;
            // Asha fixes a typo in her question.
            text(KABIR, "Kabir Singh", ago(Duration.ofHours(20)), "My parcel arrived with a torn box and a stain on the shirt.");
            media(KABIR, "Kabir Singh", ago(Duration.ofHours(20).minusMinutes(1)), "image", "Damaged box");
            String mistake = media(KABIR, "Kabir Singh", ago(Duration.ofHours(20).minusMinutes(2)), "image", "wrong photo, sorry");
            ObjectNode revoke = message("revoke", ago(Duration.ofHours(20).minusMinutes(3)));
            revoke.putObject("revoke").put("original_message_id", mistake);
            send(KABIR, "Kabir Singh", revoke);
            ObjectNode voice = message("audio", ago(Duration.ofMinutes(50)));
            voice.putObject("audio").put("voice", true);
            send(RAVI, "Ravi Menon", voice);
            String typo = text(ASHA, "Asha Verma", ago(Duration.ofMinutes(30)), "When will my order shipp?");
            ObjectNode edit = message("edit", ago(Duration.ofMinutes(28)));
            edit.putObject("edit").put("original_message_id", typo).putObject("message").put("type", "text")
                    .putObject("text").put("body", "When will my order ship?");
            send(ASHA, "Asha Verma", edit);
            // Just now: Meera asks not to get offers and writes STOP.
            text(MEERA, "Meera Iyer", now, "Please don't send me offers any more.");
            text(MEERA, "Meera Iyer", now, "STOP");
            awaitStored();

            // The business answers those still within WhatsApp's 24 hours.
            Optional<UUID> toAsha = reply(ASHA, "It ships tomorrow morning; the tracking link will come here.");
            reply(RAVI, "Yes, we deliver to Pune in 2 to 3 days. Shall I send our wholesale price list?");
            reply(KABIR, "We are so sorry, Kabir! A replacement is on its way; please rate how we handled it.");
            toAsha.ifPresent(answer -> {
                ObjectNode reaction = message("reaction", null);
                reaction.putObject("reaction").put("message_id", wamidOf(answer)).put("emoji", "👍");
                send(ASHA, "Asha Verma", reaction);
            });
            // Kabir gets the feedback form (the sandbox's own "feedback" Flow) and answers it on his phone.
            Optional<UUID> form = reply(KABIR, MessageToSend.FlowForm.byName("How did we handle it?", "Rate us", "feedback", "demo-feedback"));
            ObjectNode flow = message("interactive", null);
            form.ifPresent(sentForm -> flow.putObject("context").put("id", wamidOf(sentForm)));
            flow.putObject("interactive").put("type", "nfm_reply").putObject("nfm_reply").put("name", "flow").put("body", "Sent")
                    .put("response_json", "{\"flow_token\":\"demo-feedback\",\"rating\":\"5\",\"comment\":\"Quick replacement, thank you\"}");
            send(KABIR, "Kabir Singh", flow);
            awaitStored();

            transaction.executeWithoutResult(status -> {
                try (TenantContext.Scope ignored = TenantContext.enter(owner)) {
                    events.publishEvent(new DemoConversationsSeeded(owner.tenantId(), owner.userId(), CUSTOMERS));
                }
            });
        }

        private Instant ago(Duration duration) {
            return now.minus(duration);
        }

        private ObjectNode message(String type, Instant at) {
            ObjectNode message = JSON.createObjectNode().put("type", type);
            if (at != null) {
                message.put("timestamp", at.getEpochSecond());
            }
            return message;
        }

        private String text(String waId, String name, Instant at, String body) {
            ObjectNode message = message("text", at);
            message.putObject("text").put("body", body);
            return send(waId, name, message);
        }

        private String media(String waId, String name, Instant at, String type, String caption) {
            ObjectNode message = message(type, at);
            message.putObject(type).put("caption", caption);
            return send(waId, name, message);
        }

        private String send(String waId, String name, ObjectNode message) {
            String wamid = customers.getObject().send(number, waId, name, null, message).get("id").asString();
            // Reactions, edits and deletions change other messages rather than being messages of their own.
            if (!List.of("reaction", "edit", "revoke").contains(message.get("type").asString())) {
                sent.add(wamid);
            }
            return wamid;
        }

        /** Every message sent so far has come in through the intake. */
        private void awaitStored() {
            String[] wamids = sent.toArray(new String[0]);
            await(() -> jdbc.sql("select count(*) = :n from messages where tenant_id = :t and wamid = any(:w)")
                    .param("t", owner.tenantId()).param("w", wamids).param("n", wamids.length).query(Boolean.class).single(),
                    "the demo customers' messages to come in");
        }

        /** The business's answer, queued as a member's; empty (and the rest of the sample goes on) if it cannot be sent. */
        private Optional<UUID> reply(String waId, String body) {
            return reply(waId, new MessageToSend.Text(body));
        }

        private Optional<UUID> reply(String waId, MessageToSend message) {
            try {
                return Optional.ofNullable(transaction.execute(status -> {
                    try (TenantContext.Scope ignored = TenantContext.enter(owner)) {
                        Contact contact = contacts.byWaId(waId).orElseThrow();
                        return sending.send(new Recipient(contact.id(), null), message);
                    }
                }));
            } catch (RuntimeException e) {
                log.warn("The demo's answer to {} was not sent: {}", waId, e.toString());
                return Optional.empty();
            }
        }

        private String wamidOf(UUID messageId) {
            return await(() -> jdbc.sql("select wamid from messages where tenant_id = :t and id = :id and wamid is not null")
                    .param("t", owner.tenantId()).param("id", messageId).query(String.class).optional().orElse(null),
                    "the business's reply to be accepted by Meta");
        }

        private <T> T await(Supplier<T> probe, String what) {
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (System.nanoTime() < deadline) {
                T value = probe.get();
                if (value != null && !Boolean.FALSE.equals(value)) {
                    return value;
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for " + what, e);
                }
            }
            throw new IllegalStateException("gave up waiting for " + what);
        }
    }
}
