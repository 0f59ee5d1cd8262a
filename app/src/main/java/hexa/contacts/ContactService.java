package hexa.contacts;

import hexa.audit.AuditTrail;
import hexa.identity.Member;
import hexa.identity.MemberService;
import hexa.identity.WorkspaceService;
import hexa.platform.Ids;
import hexa.platform.database.JsonRows;
import hexa.platform.database.Sql;
import hexa.platform.tenant.Actor;
import hexa.platform.tenant.TenantContext;
import hexa.platform.web.NotFoundException;
import hexa.platform.web.UserError;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.interceptor.TransactionAspectSupport;
import tools.jackson.databind.json.JsonMapper;

/**
 * Contacts of the current workspace: found or created when people write (for the channel and the
 * inbox), and created, changed and deleted by members and integrators, one contact per number.
 */
@Service
public class ContactService {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    static final int MAX_NAME = 200;
    static final int MAX_EMAIL = 254;
    static final int MAX_USER_ID = 128;
    private static final java.util.regex.Pattern EMAIL = java.util.regex.Pattern.compile("[^@\\s]+@[^@\\s.]+(\\.[^@\\s.]+)+");
    private static final java.util.regex.Pattern USER_ID = java.util.regex.Pattern.compile("[A-Za-z0-9._:-]+");

    private final JdbcClient jdbc;
    private final Clock clock;
    private final WorkspaceService workspaces;
    private final MemberService members;
    private final ContactAttributes attributeDefinitions;
    private final ContactTags tags;
    private final ContactEvents events;
    private final AuditTrail audit;

    private final ApplicationEventPublisher publisher;
    private final org.springframework.beans.factory.ObjectProvider<ContactMerge> merges;

    ContactService(JdbcClient jdbc, Clock clock, WorkspaceService workspaces, MemberService members, ContactAttributes attributeDefinitions,
                   ContactTags tags, ContactEvents events, AuditTrail audit, ApplicationEventPublisher publisher,
                   org.springframework.beans.factory.ObjectProvider<ContactMerge> merges) {
        this.publisher = publisher;
        this.merges = merges;
        this.jdbc = jdbc;
        this.clock = clock;
        this.workspaces = workspaces;
        this.members = members;
        this.attributeDefinitions = attributeDefinitions;
        this.tags = tags;
        this.events = events;
        this.audit = audit;
    }

    // ---- Members and integrators: create, change, delete -----------------------------------------

    /** The contact, or "not found" (another workspace's contacts are not found either). */
    public Contact get(UUID id) {
        return byId(id).orElseThrow(NotFoundException::new);
    }

    /**
     * A new contact, checked: a number read in the workspace's default country (an impossible one is
     * refused with the reason), a valid email, an owner who is an active member, attribute values that
     * fit their fields (required ones given), tags. A number or WhatsApp user id another contact has is
     * refused with that contact's id ({@link DuplicateContactError}).
     */
    @Transactional
    public Contact create(ContactChanges changes) {
        Values values = read(null, changes);
        Map<String, Object> attributes = attributes(null, changes.attributes());
        List<String> tagged = changes.tags() == null ? List.of() : ContactTags.normaliseAll(changes.tags());
        refuseDuplicates(null, values.phone, values.userId);
        UUID tenant = TenantContext.tenantId();
        UUID id = Ids.newId();
        Instant now = clock.instant();
        int inserted = jdbc.sql("""
                insert into contacts (tenant_id, id, name, phone_e164, whatsapp_user_id, email, company, owner_id, attributes,
                                      created_at, updated_at)
                values (:tenant, :id, :name, :phone, :userId, :email, :company, :owner, cast(:attributes as jsonb), :now, :now)
                on conflict do nothing
                """)
                .param("tenant", tenant).param("id", id).param("name", values.name).param("phone", values.phone)
                .param("userId", values.userId).param("email", values.email).param("company", values.company).param("owner", values.owner)
                .param("attributes", JSON.writeValueAsString(attributes)).param("now", Sql.ts(now))
                .update();
        if (inserted == 0) {
            // Someone created the same person a moment ago.
            refuseDuplicates(null, values.phone, values.userId);
            throw new IllegalStateException("A new contact conflicted with no existing one");
        }
        for (String tag : tagged) {
            jdbc.sql("insert into contact_tags (tenant_id, contact_id, tag, created_at) values (:tenant, :contact, :tag, :now)")
                    .param("tenant", tenant).param("contact", id).param("tag", tag).param("now", Sql.ts(now)).update();
        }
        String source = TenantContext.actor().isPerson() ? "agent" : "api";
        events.record(id, ContactEvents.CREATED, Map.of("source", source));
        publisher.publishEvent(new ContactsCreated(tenant, List.of(id), source));
        tagged.forEach(tag -> publisher.publishEvent(new ContactsTagged(tenant, List.of(id), tag)));
        return get(id);
    }

    /**
     * Changes what is given and leaves the rest (PATCH): the same checks as {@link #create}. A required
     * attribute cannot be emptied; a number learnt from WhatsApp (the person wrote from it) cannot be
     * changed by hand. Each change is kept on the contact's timeline with its old and new value.
     */
    @Transactional
    public Contact update(UUID id, ContactChanges changes) {
        Contact before = lock(id);
        Values values = read(before, changes);
        Map<String, Object> attributes = attributes(before, changes.attributes());
        List<String> tagged = changes.tags() == null ? null : ContactTags.normaliseAll(changes.tags());
        String newPhone = Objects.equals(values.phone, before.phoneE164()) ? null : values.phone;
        String newUserId = Objects.equals(values.userId, before.whatsappUserId()) ? null : values.userId;
        refuseDuplicates(id, newPhone, newUserId);
        // Another contact may take the number between the check and this write (two people saving at once): the unique
        // index refuses it then, and the answer is the same as the check's, naming that contact. The savepoint keeps the
        // transaction usable for looking them up.
        TransactionStatus transaction = TransactionAspectSupport.currentTransactionStatus();
        Object savepoint = transaction.createSavepoint();
        try {
            jdbc.sql("""
                    update contacts set name = :name, phone_e164 = :phone, whatsapp_user_id = :userId, email = :email, company = :company,
                                        owner_id = :owner, attributes = cast(:attributes as jsonb), updated_at = :now
                     where tenant_id = :tenant and id = :id
                    """)
                    .param("tenant", TenantContext.tenantId()).param("id", id).param("name", values.name).param("phone", values.phone)
                    .param("userId", values.userId).param("email", values.email).param("company", values.company).param("owner", values.owner)
                    .param("attributes", JSON.writeValueAsString(attributes)).param("now", Sql.ts(clock.instant()))
                    .update();
        } catch (DuplicateKeyException e) {
            transaction.rollbackToSavepoint(savepoint);
            refuseDuplicates(id, newPhone, newUserId);
            throw e;
        }
        transaction.releaseSavepoint(savepoint);
        Set<String> changed = new java.util.LinkedHashSet<>();
        change(changed, id, ContactChanges.NAME, before.name(), values.name);
        change(changed, id, ContactChanges.PHONE, before.phoneE164(), values.phone);
        change(changed, id, ContactChanges.WHATSAPP_USER_ID, before.whatsappUserId(), values.userId);
        change(changed, id, ContactChanges.EMAIL, before.email(), values.email);
        change(changed, id, ContactChanges.COMPANY, before.company(), values.company);
        change(changed, id, ContactChanges.OWNER, before.ownerId() == null ? null : before.ownerId().toString(),
                values.owner == null ? null : values.owner.toString());
        Map<String, AttributeDefinition> definitions = attributeDefinitions.byKey();
        for (String key : changes.attributes().keySet()) {
            Object from = before.attributes().get(key);
            Object to = attributes.get(key);
            if (!sameValue(from, to)) {
                Map<String, Object> details = ContactEvents.change(key, from, to);
                details.put("label", definitions.get(key).label());
                events.record(id, ContactEvents.ATTRIBUTE_CHANGED, details);
                changed.add("attribute:" + key);
            }
        }
        if (!changed.isEmpty()) {
            publisher.publishEvent(new ContactsChanged(TenantContext.tenantId(), List.of(id), changed));
        }
        if (tagged != null) {
            tags.replace(id, tagged);
        }
        return get(id);
    }

    /** Contacts whose name, profile name, number or email contains the text (for choosing one to merge), at most {@code limit}. */
    public List<Contact> search(String text, UUID except, int limit) {
        String query = text == null ? "" : text.strip().toLowerCase(java.util.Locale.ROOT);
        if (query.isEmpty()) {
            return List.of();
        }
        if (query.length() > 100) {
            query = query.substring(0, 100);
        }
        String digits = query.replaceAll("[^0-9]", "");
        return jdbc.sql("""
                select * from contacts
                 where tenant_id = :tenant and id <> :except
                   and (lower(coalesce(name, '') || ' ' || coalesce(profile_name, '') || ' ' || coalesce(phone_e164, '') || ' ' || coalesce(whatsapp_user_id, ''))
                            like :like escape '\\'
                        or (:digits <> '' and phone_e164 like :digitsLike)
                        or lower(email) like :like escape '\\')
                 order by coalesce(name, profile_name, phone_e164), id
                 limit :limit
                """)
                .param("tenant", TenantContext.tenantId()).param("except", except == null ? Ids.newId() : except)
                .param("like", Sql.likeContains(query)).param("digits", digits).param("digitsLike", "%" + digits + "%")
                .param("limit", limit)
                .query(ContactService::map).list();
    }

    /** The contact locked for a change in this transaction, or "not found". */
    Contact lock(UUID id) {
        return jdbc.sql("select * from contacts where tenant_id = :tenant and id = :id for update")
                .param("tenant", TenantContext.tenantId()).param("id", id).query(ContactService::map).optional()
                .orElseThrow(NotFoundException::new);
    }

    /** The contact's own fields after a change, checked and normalised. */
    private record Values(String name, String phone, String userId, String email, String company, UUID owner) {
    }

    private Values read(Contact before, ContactChanges changes) {
        String name = field(before == null ? null : before.name(), changes, ContactChanges.NAME, MAX_NAME);
        String company = field(before == null ? null : before.company(), changes, ContactChanges.COMPANY, MAX_NAME);
        String email = field(before == null ? null : before.email(), changes, ContactChanges.EMAIL, MAX_EMAIL);
        if (changes.has(ContactChanges.EMAIL) && email != null && !EMAIL.matcher(email).matches()) {
            throw UserError.invalid("contacts.core.email-invalid", email);
        }
        String userId = field(before == null ? null : before.whatsappUserId(), changes, ContactChanges.WHATSAPP_USER_ID, MAX_USER_ID);
        if (changes.has(ContactChanges.WHATSAPP_USER_ID) && userId != null && !USER_ID.matcher(userId).matches()) {
            throw UserError.invalid("contacts.core.user-id-invalid", userId);
        }
        String phone = before == null ? null : before.phoneE164();
        if (changes.has(ContactChanges.PHONE)) {
            String written = changes.get(ContactChanges.PHONE);
            if (written == null) {
                phone = null;
            } else {
                PhoneNumbers.Reading reading = PhoneNumbers.read(written, workspaces.current().defaultCountry());
                if (!reading.valid()) {
                    throw UserError.invalid(reading.problemKey(), written);
                }
                phone = reading.e164();
            }
            if (before != null && before.waId() != null && !Objects.equals(phone, before.phoneE164())) {
                throw UserError.invalid("contacts.core.phone-from-whatsapp", before.phoneE164());
            }
        }
        if (phone == null && userId == null) {
            throw UserError.invalid("contacts.core.identity-needed");
        }
        UUID owner = before == null ? null : before.ownerId();
        if (changes.has(ContactChanges.OWNER)) {
            String written = changes.get(ContactChanges.OWNER);
            owner = written == null ? null : activeMember(written);
        }
        return new Values(name, phone, userId, email, company, owner);
    }

    private static String field(String current, ContactChanges changes, String field, int max) {
        if (!changes.has(field)) {
            return current;
        }
        String value = changes.get(field);
        if (value != null && value.length() > max) {
            throw UserError.invalid("contacts.core.too-long", field, max);
        }
        return value;
    }

    private UUID activeMember(String written) {
        UUID id;
        try {
            id = UUID.fromString(written);
        } catch (IllegalArgumentException e) {
            throw UserError.invalid("contacts.core.owner-invalid");
        }
        return members.members().stream().filter(m -> m.userId().equals(id) && m.active()).map(Member::userId).findFirst()
                .orElseThrow(() -> UserError.invalid("contacts.core.owner-invalid"));
    }

    /** The contact's attribute values after a change: each checked against its field; required ones kept. */
    private Map<String, Object> attributes(Contact before, Map<String, Object> given) {
        Map<String, AttributeDefinition> definitions = attributeDefinitions.byKey();
        Map<String, Object> values = new LinkedHashMap<>(before == null ? Map.of() : before.attributes());
        for (Map.Entry<String, Object> entry : given.entrySet()) {
            AttributeDefinition definition = definitions.get(entry.getKey());
            if (definition == null) {
                throw UserError.invalid("contacts.core.attribute-unknown", entry.getKey());
            }
            Object value = attributeDefinitions.value(definition, entry.getValue());
            if (value == null) {
                if (definition.required()) {
                    throw UserError.invalid("contacts.core.attribute-required", definition.label());
                }
                values.remove(definition.key());
            } else {
                values.put(definition.key(), value);
            }
        }
        if (before == null) {
            for (AttributeDefinition definition : definitions.values()) {
                if (definition.required() && !values.containsKey(definition.key())) {
                    throw UserError.invalid("contacts.core.attribute-required", definition.label());
                }
            }
        }
        return values;
    }

    /** Another contact with this number or WhatsApp user id: refused, naming it. */
    private void refuseDuplicates(UUID self, String phone, String userId) {
        if (phone != null) {
            Optional<UUID> existing = jdbc.sql("select id from contacts where tenant_id = :tenant and (phone_e164 = :phone or wa_id = :waId)")
                    .param("tenant", TenantContext.tenantId()).param("phone", phone).param("waId", phone.substring(1))
                    .query(UUID.class).list().stream().filter(id -> !id.equals(self)).findFirst();
            if (existing.isPresent()) {
                throw new DuplicateContactError(existing.get(), "contacts.core.duplicate-phone", phone);
            }
        }
        if (userId != null) {
            Optional<UUID> existing = jdbc.sql("select id from contacts where tenant_id = :tenant and whatsapp_user_id = :userId")
                    .param("tenant", TenantContext.tenantId()).param("userId", userId)
                    .query(UUID.class).list().stream().filter(id -> !id.equals(self)).findFirst();
            if (existing.isPresent()) {
                throw new DuplicateContactError(existing.get(), "contacts.core.duplicate-user-id", userId);
            }
        }
    }

    private void change(Set<String> changed, UUID id, String field, String from, String to) {
        if (!Objects.equals(from, to)) {
            events.record(id, ContactEvents.FIELD_CHANGED, ContactEvents.change(field, from, to));
            changed.add(field);
        }
    }

    /** Values as stored and as read back from JSON compare by their text (1 and 1.0 are one number). */
    private static boolean sameValue(Object a, Object b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (a instanceof Number && b instanceof Number) {
            return new java.math.BigDecimal(a.toString()).compareTo(new java.math.BigDecimal(b.toString())) == 0;
        }
        return a.toString().equals(b.toString());
    }

    // ---- The channel: people who write ------------------------------------------------------------

    /**
     * The contact of a WhatsApp identity, created on first contact. The profile name and any newly
     * learnt id are kept up to date; two webhooks racing for the same new person make one contact.
     */
    @Transactional
    public Contact identify(WhatsAppIdentity identity) {
        return byId(identifyAll(List.of(identity)).get(0)).orElseThrow();
    }

    /**
     * The contacts of several WhatsApp identities at once (a webhook's worth), in a few statements
     * whatever their number, with the outcome of calling {@link #identify} for each in turn: an identity
     * met earlier in the list counts as known to the later ones, the last profile name given wins, and
     * an id a contact lacked is learnt from the first identity that brings it. Answers each identity's
     * contact id, in order.
     */
    @Transactional
    public List<UUID> identifyAll(List<WhatsAppIdentity> identities) {
        UUID tenant = TenantContext.tenantId();
        Instant now = clock.instant();
        for (int attempt = 1; ; attempt++) {
            List<Contact> stored = findAll(tenant, identities);
            if (mergeSplitPeople(identities, stored)) {
                stored = findAll(tenant, identities);
            }
            Resolution resolution = resolve(identities, stored);
            if (!resolution.created.isEmpty()) {
                JsonRows rows = new JsonRows();
                resolution.created.forEach(c -> rows.add().put("id", c.id).put("profile", c.profileName).put("wa_id", c.waId)
                        .put("user_id", c.userId));
                int inserted = jdbc.sql("""
                        insert into contacts (tenant_id, id, profile_name, phone_e164, wa_id, whatsapp_user_id, created_at, updated_at, last_activity_at)
                        select :tenant, r.id, r.profile, '+' || r.wa_id, r.wa_id, r.user_id, :now, :now, :now
                          from json_to_recordset(cast(:rows as json)) as r(id uuid, profile text, wa_id text, user_id text)
                        on conflict do nothing
                        """)
                        .param("tenant", tenant).param("rows", rows.json()).param("now", Sql.ts(now))
                        .update();
                if (inserted < resolution.created.size()) {
                    // Someone else created one of these people meanwhile: start again from what is stored.
                    if (attempt >= 3) {
                        throw new IllegalStateException("Could not create " + resolution.created.size() + " contacts: identities keep conflicting");
                    }
                    continue;
                }
                publisher.publishEvent(new ContactsCreated(tenant, resolution.created.stream().map(c -> c.id).toList(), "whatsapp"));
            }
            if (!resolution.learnt.isEmpty()) {
                JsonRows rows = new JsonRows();
                resolution.learnt.forEach(c -> rows.add().put("id", c.id).put("profile", c.profileName).put("wa_id", c.waId)
                        .put("user_id", c.userId));
                jdbc.sql("""
                        update contacts c
                           set profile_name = coalesce(r.profile, c.profile_name),
                               wa_id = coalesce(c.wa_id, r.wa_id),
                               phone_e164 = coalesce(c.phone_e164, '+' || r.wa_id),
                               whatsapp_user_id = coalesce(c.whatsapp_user_id, r.user_id),
                               last_activity_at = greatest(c.last_activity_at, :now),
                               updated_at = :now
                          from json_to_recordset(cast(:rows as json)) as r(id uuid, profile text, wa_id text, user_id text)
                         where c.tenant_id = :tenant and c.id = r.id and c.id = any(:ids)
                           -- (= any(:ids) lets the planner find the rows by key instead of reading them all.)
                           -- Only when something changes: a contact row is in many indexes (list orders, trigram
                           -- search, attributes), and a customer writing five messages in a minute would otherwise
                           -- rewrite it five times. Last activity is kept to the minute.
                           and (r.profile is not null and r.profile is distinct from c.profile_name
                                or r.wa_id is not null and (c.wa_id is null or c.phone_e164 is null)
                                or r.user_id is not null and c.whatsapp_user_id is null
                                or c.last_activity_at is null
                                or c.last_activity_at < cast(:now as timestamptz) - interval '1 minute')
                        """)
                        .param("tenant", tenant).param("rows", rows.json()).param("now", Sql.ts(now))
                        .param("ids", resolution.learnt.stream().map(c -> c.id).toArray(UUID[]::new))
                        .update();
            }
            return resolution.contactIds;
        }
    }

    /**
     * One person known as two contacts: one by their number (they wrote with it, or were added with it) and one by
     * their WhatsApp user id alone (they wrote when Meta named them only by it). When a message names both, they are
     * merged into the contact with the number, as a member's merge would (conversations, notes, tags, consent and
     * timeline move; the audit trail records it), so the person is one contact again. Answers whether any was merged.
     */
    private boolean mergeSplitPeople(List<WhatsAppIdentity> identities, List<Contact> stored) {
        Map<String, Contact> byNumber = new HashMap<>();
        Map<String, Contact> byUserId = new HashMap<>();
        for (Contact contact : stored) {
            if (contact.waId() != null) {
                byNumber.put(contact.waId(), contact);
            } else if (contact.phoneE164() != null) {
                byNumber.putIfAbsent(contact.phoneE164().substring(1), contact);
            }
            if (contact.whatsappUserId() != null) {
                byUserId.put(contact.whatsappUserId(), contact);
            }
        }
        boolean merged = false;
        java.util.Set<UUID> gone = new java.util.HashSet<>();
        for (WhatsAppIdentity identity : identities) {
            if (identity.waId() == null || identity.userId() == null) {
                continue;
            }
            Contact withNumber = byNumber.get(identity.waId());
            Contact withUserId = byUserId.get(identity.userId());
            if (withNumber == null || withUserId == null || withNumber.id().equals(withUserId.id())
                    || gone.contains(withNumber.id()) || gone.contains(withUserId.id())
                    || withNumber.whatsappUserId() != null || withUserId.waId() != null) {
                continue;
            }
            merges.getObject().merge(withNumber.id(), withUserId.id());
            gone.add(withUserId.id());
            merged = true;
        }
        return merged;
    }

    /** What one contact becomes after a batch of identities: the fields to set where it has none yet. */
    private static final class Learnt {
        final UUID id;
        String profileName;
        String waId;
        String userId;

        Learnt(UUID id, String waId, String userId) {
            this.id = id;
            this.waId = waId;
            this.userId = userId;
        }
    }

    private record Resolution(List<UUID> contactIds, Collection<Learnt> created, Collection<Learnt> learnt) {
    }

    /**
     * Plays {@link #identify} for each identity in turn against the stored contacts, in memory: which
     * contact each one is (the wa_id first, then the user id), which are new, and what the known ones learn.
     */
    private static Resolution resolve(List<WhatsAppIdentity> identities, List<Contact> stored) {
        Map<String, Learnt> byWaId = new HashMap<>();
        Map<String, Learnt> byUserId = new HashMap<>();
        for (Contact contact : stored) {
            Learnt state = new Learnt(contact.id(), contact.waId(), contact.whatsappUserId());
            if (contact.waId() != null) {
                byWaId.put(contact.waId(), state);
            } else if (contact.phoneE164() != null) {
                // Added by hand, an import or the API before the person ever wrote: their number is their wa_id.
                byWaId.putIfAbsent(contact.phoneE164().substring(1), state);
            }
            if (contact.whatsappUserId() != null) {
                byUserId.put(contact.whatsappUserId(), state);
            }
        }
        Map<UUID, Learnt> created = new LinkedHashMap<>();
        Map<UUID, Learnt> learnt = new LinkedHashMap<>();
        List<UUID> ids = new ArrayList<>(identities.size());
        for (WhatsAppIdentity identity : identities) {
            Learnt contact = identity.waId() == null ? null : byWaId.get(identity.waId());
            if (contact == null && identity.userId() != null) {
                contact = byUserId.get(identity.userId());
            }
            if (contact == null) {
                contact = new Learnt(Ids.newId(), identity.waId(), identity.userId());
                created.put(contact.id, contact);
            } else if (!created.containsKey(contact.id)) {
                learnt.put(contact.id, contact);
            }
            if (identity.profileName() != null) {
                contact.profileName = identity.profileName();
            }
            // An id another contact holds is not learnt: that one is someone else, as far as we can tell (a person
            // split in two was merged before this).
            if (contact.waId == null && identity.waId() != null && freeFor(byWaId, identity.waId(), contact)) {
                contact.waId = identity.waId();
            }
            if (contact.userId == null && identity.userId() != null && freeFor(byUserId, identity.userId(), contact)) {
                contact.userId = identity.userId();
            }
            if (contact.waId != null) {
                byWaId.putIfAbsent(contact.waId, contact);
            }
            if (contact.userId != null) {
                byUserId.putIfAbsent(contact.userId, contact);
            }
            ids.add(contact.id);
        }
        return new Resolution(ids, created.values(), learnt.values());
    }

    private static boolean freeFor(Map<String, Learnt> holders, String id, Learnt contact) {
        Learnt holder = holders.get(id);
        return holder == null || holder == contact;
    }

    /** A customer changed their number: the same contact, now reached at the new one; history stays. */
    @Transactional
    public void changeNumber(String oldWaId, String newWaId) {
        UUID tenant = TenantContext.tenantId();
        List<UUID> changed = jdbc.sql("""
                update contacts set wa_id = :new, phone_e164 = '+' || :new, updated_at = :now
                 where tenant_id = :tenant and wa_id = :old
                   and not exists (select 1 from contacts c where c.tenant_id = :tenant and c.wa_id = :new)
                returning id
                """)
                .param("tenant", tenant).param("old", oldWaId).param("new", newWaId).param("now", Sql.ts(clock.instant()))
                .query(UUID.class).list();
        if (!changed.isEmpty()) {
            // The correction history: the timeline keeps the number the customer had before.
            Map<UUID, Map<String, Object>> lines = new java.util.LinkedHashMap<>();
            changed.forEach(id -> lines.put(id, ContactEvents.change(ContactChanges.PHONE, "+" + oldWaId, "+" + newWaId)));
            events.recordEach(tenant, null, clock.instant(), ContactEvents.FIELD_CHANGED, lines);
            publisher.publishEvent(new ContactsChanged(tenant, changed, Set.of(ContactChanges.PHONE)));
        }
    }

    /**
     * The WhatsApp Business app on a coexistence number added or edited a contact in its address book: the contact of
     * that number (created if there is none) keeps the address-book name, which is also its name unless someone named
     * the contact otherwise (a name given by the team, an import or the API always wins over the app's address book).
     * Answers the contact.
     */
    @Transactional
    public Contact addressBookNamed(String phoneNumber, String addressBookName) {
        String waId = phoneNumber == null ? "" : phoneNumber.replaceAll("[^0-9]", "");
        if (waId.isEmpty()) {
            throw new IllegalArgumentException("An address book entry without a phone number");
        }
        String name = addressBookName == null || addressBookName.isBlank() ? null : truncated(addressBookName.strip(), MAX_NAME);
        Contact contact = identify(new WhatsAppIdentity(waId, null, null));
        String before = jdbc.sql("select address_book_name from contacts where tenant_id = :tenant and id = :id")
                .param("tenant", TenantContext.tenantId()).param("id", contact.id()).query(String.class).optional().orElse(null);
        boolean nameFromAddressBook = contact.name() == null || contact.name().isBlank() || contact.name().equals(before);
        String newName = nameFromAddressBook ? name : contact.name();
        jdbc.sql("update contacts set address_book_name = :book, name = :name, updated_at = :now where tenant_id = :tenant and id = :id")
                .param("tenant", TenantContext.tenantId()).param("id", contact.id()).param("book", name).param("name", newName)
                .param("now", Sql.ts(clock.instant())).update();
        Set<String> changed = new java.util.LinkedHashSet<>();
        change(changed, contact.id(), ContactChanges.NAME, contact.name(), newName);
        if (!changed.isEmpty()) {
            publisher.publishEvent(new ContactsChanged(TenantContext.tenantId(), List.of(contact.id()), changed));
        }
        return get(contact.id());
    }

    /**
     * The WhatsApp Business app removed a contact from its address book: only the address-book name goes (and the name,
     * if it was the address book's); the contact, its conversations and everything else stay. Nothing happens for a
     * number we do not know.
     */
    @Transactional
    public void addressBookRemoved(String phoneNumber) {
        String waId = phoneNumber == null ? "" : phoneNumber.replaceAll("[^0-9]", "");
        if (waId.isEmpty()) {
            throw new IllegalArgumentException("An address book entry without a phone number");
        }
        UUID tenant = TenantContext.tenantId();
        record Entry(UUID id, String name, String addressBookName) {
        }
        List<Entry> entries = jdbc.sql("""
                select id, name, address_book_name from contacts
                 where tenant_id = :tenant and (wa_id = :waId or wa_id is null and phone_e164 = '+' || :waId)
                   and address_book_name is not null
                   for update
                """)
                .param("tenant", tenant).param("waId", waId)
                .query((rs, n) -> new Entry(Sql.uuid(rs, "id"), rs.getString("name"), rs.getString("address_book_name"))).list();
        for (Entry entry : entries) {
            String newName = Objects.equals(entry.name(), entry.addressBookName()) ? null : entry.name();
            jdbc.sql("update contacts set name = :name, address_book_name = null, updated_at = :now where tenant_id = :tenant and id = :id")
                    .param("tenant", tenant).param("id", entry.id()).param("name", newName).param("now", Sql.ts(clock.instant())).update();
            Set<String> changed = new java.util.LinkedHashSet<>();
            change(changed, entry.id(), ContactChanges.NAME, entry.name(), newName);
            if (!changed.isEmpty()) {
                publisher.publishEvent(new ContactsChanged(tenant, List.of(entry.id()), changed));
            }
        }
    }

    private static String truncated(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max);
    }

    /** A customer's business-scoped user id changed. */
    @Transactional
    public void changeUserId(String waId, String oldUserId, String newUserId) {
        List<UUID> changed = jdbc.sql("""
                update contacts set whatsapp_user_id = :new, updated_at = :now
                 where tenant_id = :tenant and (whatsapp_user_id = :old or (cast(:waId as text) is not null and wa_id = :waId))
                   and not exists (select 1 from contacts c where c.tenant_id = :tenant and c.whatsapp_user_id = :new)
                returning id
                """)
                .param("tenant", TenantContext.tenantId()).param("old", oldUserId).param("new", newUserId).param("waId", waId)
                .param("now", Sql.ts(clock.instant()))
                .query(UUID.class).list();
        if (!changed.isEmpty()) {
            Map<UUID, Map<String, Object>> lines = new java.util.LinkedHashMap<>();
            changed.forEach(id -> lines.put(id, ContactEvents.change(ContactChanges.WHATSAPP_USER_ID, oldUserId, newUserId)));
            events.recordEach(TenantContext.tenantId(), null, clock.instant(), ContactEvents.FIELD_CHANGED, lines);
            publisher.publishEvent(new ContactsChanged(TenantContext.tenantId(), changed, Set.of(ContactChanges.WHATSAPP_USER_ID)));
        }
    }

    /**
     * Every contact of the current workspace with the identities WhatsApp knows them by (number without the plus,
     * WhatsApp id, WhatsApp user id, those it has): erasure re-applied after a restore finds people by them.
     */
    public Map<UUID, List<String>> identitiesOfAll() {
        Map<UUID, List<String>> all = new LinkedHashMap<>();
        jdbc.sql("select id, phone_e164, wa_id, whatsapp_user_id from contacts where tenant_id = :tenant")
                .param("tenant", TenantContext.tenantId())
                .query(rs -> {
                    all.put(rs.getObject("id", UUID.class), identities(rs.getString("phone_e164"), rs.getString("wa_id"), rs.getString("whatsapp_user_id")));
                });
        return all;
    }

    /** The identities of one contact, as {@link #identitiesOfAll()} gives them. */
    public static List<String> identitiesOf(Contact contact) {
        return identities(contact.phoneE164(), contact.waId(), contact.whatsappUserId());
    }

    private static List<String> identities(String phoneE164, String waId, String userId) {
        return java.util.stream.Stream.of(phoneE164 == null ? null : phoneE164.replaceFirst("^\\+", ""), waId, userId)
                .filter(i -> i != null && !i.isBlank()).distinct().toList();
    }

    public Optional<Contact> byId(UUID id) {
        return jdbc.sql("select * from contacts where tenant_id = :tenant and id = :id")
                .param("tenant", TenantContext.tenantId()).param("id", id).query(ContactService::map).optional();
    }

    /** Several contacts at once (for a page of conversations): id → contact. */
    public java.util.Map<UUID, Contact> byIds(java.util.Collection<UUID> ids) {
        java.util.Map<UUID, Contact> found = new java.util.HashMap<>();
        if (ids.isEmpty()) {
            return found;
        }
        jdbc.sql("select * from contacts where tenant_id = :tenant and id = any(:ids)")
                .param("tenant", TenantContext.tenantId()).param("ids", ids.toArray(new UUID[0]))
                .query(ContactService::map).list().forEach(c -> found.put(c.id(), c));
        return found;
    }

    public Optional<Contact> byWaId(String waId) {
        return jdbc.sql("select * from contacts where tenant_id = :tenant and wa_id = :waId")
                .param("tenant", TenantContext.tenantId()).param("waId", waId).query(ContactService::map).optional();
    }

    /** The tags of several contacts at once, each list in alphabetical order: id → tags (absent when none). */
    public Map<UUID, List<String>> tagsOf(Collection<UUID> ids) {
        Map<UUID, List<String>> tags = new HashMap<>();
        if (ids.isEmpty()) {
            return tags;
        }
        jdbc.sql("select contact_id, tag from contact_tags where tenant_id = :tenant and contact_id = any(:ids) order by tag")
                .param("tenant", TenantContext.tenantId()).param("ids", ids.toArray(new UUID[0]))
                .query((rs, n) -> {
                    tags.computeIfAbsent(Sql.uuid(rs, "contact_id"), id -> new ArrayList<>()).add(rs.getString("tag"));
                    return null;
                }).list();
        return tags;
    }

    /** The stored contacts that any of these identities names, by wa_id or user id. */
    private List<Contact> findAll(UUID tenant, List<WhatsAppIdentity> identities) {
        // Arrays compared with = any(…), one index scan per kind of key (a bitmap OR): a join with a JSON record set is
        // estimated at 100 rows and read the whole of a workspace's contacts instead, a few milliseconds per batch at
        // ten thousand contacts and growing with them (docs/performance.md).
        String[] waIds = identities.stream().map(WhatsAppIdentity::waId).filter(java.util.Objects::nonNull).distinct().toArray(String[]::new);
        String[] phones = java.util.Arrays.stream(waIds).map(waId -> "+" + waId).toArray(String[]::new);
        String[] userIds = identities.stream().map(WhatsAppIdentity::userId).filter(java.util.Objects::nonNull).distinct().toArray(String[]::new);
        return jdbc.sql("""
                select * from contacts
                 where tenant_id = :tenant
                   and (wa_id = any(:waIds) or phone_e164 = any(:phones) or whatsapp_user_id = any(:userIds))
                """)
                .param("tenant", tenant).param("waIds", waIds).param("phones", phones).param("userIds", userIds)
                .query(ContactService::map).list();
    }

    static Contact map(ResultSet rs, int row) throws SQLException {
        String consentSource = rs.getString("marketing_consent_source");
        return new Contact(Sql.uuid(rs, "id"), rs.getString("name"), rs.getString("profile_name"), rs.getString("phone_e164"),
                rs.getString("wa_id"), rs.getString("whatsapp_user_id"), rs.getString("email"), rs.getString("company"),
                Sql.uuid(rs, "owner_id"), attributes(rs.getString("attributes")), Sql.instant(rs, "blocked_at"),
                new Contact.Consent(rs.getString("marketing_consent"), consentSource, Sql.instant(rs, "marketing_consent_at")),
                Sql.instant(rs, "created_at"), Sql.instant(rs, "last_activity_at"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> attributes(String json) {
        return json == null ? Map.of() : JSON.readValue(json, Map.class);
    }
}
