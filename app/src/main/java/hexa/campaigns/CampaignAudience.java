package hexa.campaigns;

import hexa.contacts.Contact;
import hexa.contacts.ContactAudiences;
import hexa.contacts.ContactFilter;
import hexa.contacts.ContactSegments;
import hexa.contacts.ContactService;
import hexa.identity.WorkspaceService;
import hexa.platform.web.UserError;
import hexa.whatsapp.ConnectionService;
import hexa.whatsapp.Template;
import hexa.whatsapp.TemplateService;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Writes a campaign's audience into {@code campaign_recipients}, a batch at a time ({@value #BATCH} contacts, a few set-based
 * statements each), each recipient WAITING with its due time, country and A/B variant, or EXCLUDED with the reason. Which
 * contacts: a saved segment's, tags', a filter's (through contacts' {@link ContactAudiences}), an upload's (written when it
 * was uploaded), or the recipients of an earlier campaign who did not read or reply. The batch's last contact is kept on the
 * campaign ({@code prepared_through}): a preparation stopped by a crash goes on from there, and rows written twice are
 * left as they were.
 */
@Component
class CampaignAudience {

    static final int BATCH = 2_000;

    private final CampaignRows rows;
    private final ContactAudiences audiences;
    private final ContactSegments segments;
    private final ContactService contacts;
    private final WorkspaceService workspaces;
    private final TemplateService templates;
    private final ConnectionService connections;

    CampaignAudience(CampaignRows rows, ContactAudiences audiences, ContactSegments segments, ContactService contacts,
                     WorkspaceService workspaces, TemplateService templates, ConnectionService connections) {
        this.rows = rows;
        this.audiences = audiences;
        this.segments = segments;
        this.contacts = contacts;
        this.workspaces = workspaces;
        this.templates = templates;
        this.connections = connections;
    }

    /** What one batch did: the last contact written (null: none), and whether the audience is complete. */
    record Batch(UUID through, boolean done, int written) {
    }

    /** Writes the next batch of the campaign's audience after its {@code prepared_through}, in the caller's transaction. */
    Batch prepareNext(Campaign campaign, Instant now) {
        CampaignDraft.Audience audience = campaign.audience();
        UUID after = campaign.preparedThrough();
        List<ContactAudiences.Member> members;
        UUID through;
        boolean done;
        if (audience.upload() != null || audience.followUpOf() != null) {
            List<UUID> ids = audience.upload() != null ? rows.contactsAfter(campaign.id(), after, BATCH, List.of("WAITING", "EXCLUDED"))
                    : rows.followUpAfter(audience.followUpOf(), audience.rule(), after, BATCH);
            members = ids.isEmpty() ? List.of() : audiences.page(new ContactAudiences.Audience(null, ids, audience.excludeTags(), campaign.marketing()),
                    null, ContactAudiences.MAX_PAGE);
            through = ids.isEmpty() ? after : ids.get(ids.size() - 1);
            done = ids.size() < BATCH;
        } else {
            members = audiences.page(new ContactAudiences.Audience(filter(audience), null, audience.excludeTags(), campaign.marketing()), after, BATCH);
            through = members.isEmpty() ? after : members.get(members.size() - 1).contactId();
            done = members.size() < BATCH;
        }
        rows.writePrepared(campaign.id(), prepare(campaign, members, now));
        return new Batch(through, done, members.size());
    }

    /** The filter of a segment, tags or a filter audience; a segment deleted since is refused. */
    ContactFilter filter(CampaignDraft.Audience audience) {
        if (audience.segmentId() != null) {
            return segments.find(audience.segmentId()).map(ContactSegments.Segment::filter)
                    .orElseThrow(() -> UserError.invalid("campaigns.invalid.segment-unknown", audience.segmentId()));
        }
        if (audience.tags() != null) {
            return new ContactFilter(null, audience.tags(), audience.match().toLowerCase(java.util.Locale.ROOT), null, null, null, null, null,
                    null, null, null, null);
        }
        return audience.filter();
    }

    private List<CampaignRows.Prepared> prepare(Campaign campaign, List<ContactAudiences.Member> members, Instant now) {
        List<UUID> allowed = members.stream().filter(m -> m.standing() == ContactAudiences.Standing.ALLOWED).map(ContactAudiences.Member::contactId).toList();
        Map<UUID, Contact> people = allowed.isEmpty() ? Map.of() : contacts.byIds(allowed);
        Versions versions = versions(campaign);
        ZoneId workspaceZone = workspaces.current().timeZone();
        List<CampaignRows.Prepared> prepared = new ArrayList<>(members.size());
        for (ContactAudiences.Member member : members) {
            String country = RecipientZones.country(member.waId());
            if (member.standing() != ContactAudiences.Standing.ALLOWED) {
                prepared.add(new CampaignRows.Prepared(member.contactId(), "EXCLUDED", member.standing().name(), null, country, null));
                continue;
            }
            String variant = variant(campaign, member.contactId());
            Contact contact = people.get(member.contactId());
            if (contact == null || !versions.renders(variant, contact)) {
                prepared.add(new CampaignRows.Prepared(member.contactId(), "EXCLUDED", contact == null ? "NO_WHATSAPP" : "MISSING_VARIABLE",
                        variant, country, null));
                continue;
            }
            Instant due = campaign.localHour() != null && campaign.localDate() != null
                    ? RecipientZones.due(campaign.localDate(), campaign.localHour(), RecipientZones.zone(country, workspaceZone), now)
                    : campaign.sendAt() == null || campaign.sendAt().isBefore(now) ? now : campaign.sendAt();
            prepared.add(new CampaignRows.Prepared(member.contactId(), "WAITING", null, variant, country, due));
        }
        return prepared;
    }

    /**
     * A/B: the sample ({@code samplePercent} of the recipients, chosen by their id so that a batch prepared again chooses the
     * same) is split in half between A and B; the rest have no variant and wait for the winner. Without A/B every recipient
     * gets A.
     */
    static String variant(Campaign campaign, UUID contactId) {
        if (campaign.ab() == null) {
            return "A";
        }
        int bucket = Math.floorMod(contactId.getLeastSignificantBits() ^ (contactId.getLeastSignificantBits() >>> 32), 100);
        if (bucket >= campaign.ab().samplePercent()) {
            return null;
        }
        return bucket % 2 == 0 ? "A" : "B";
    }

    /** The campaign's templates with their placeholders, as the number's account knows them. */
    Versions versions(Campaign campaign) {
        return new Versions(campaign, placeholders(campaign, campaign.version("A")),
                campaign.ab() == null ? null : placeholders(campaign, campaign.version("B")), CampaignVariables.HeaderFiles.UNRESOLVED);
    }

    CampaignVariables.Placeholders placeholders(Campaign campaign, Campaign.Version version) {
        return template(campaign, version)
                .map(t -> new CampaignVariables.Placeholders(t.headerParameters(), t.bodyParameters()))
                .orElse(CampaignVariables.Placeholders.positional(version.variables()));
    }

    Optional<Template> template(Campaign campaign, Campaign.Version version) {
        if (campaign.connectionIds().isEmpty()) {
            return Optional.empty();
        }
        String waba = connections.connection(campaign.connectionIds().get(0)).wabaId();
        return templates.find(waba, version.templateName(), version.templateLanguage());
    }

    /** Renders the message of a recipient's variant; a media header takes its file from {@code files}. */
    record Versions(Campaign campaign, CampaignVariables.Placeholders a, CampaignVariables.Placeholders b,
                    CampaignVariables.HeaderFiles files) {

        /** The same, a media header's file resolved by {@code files} (Meta's media id on the sending number). */
        Versions with(CampaignVariables.HeaderFiles files) {
            return new Versions(campaign, a, b, files);
        }

        Optional<hexa.whatsapp.MessageToSend.Template> render(String variant, Contact contact) {
            Campaign.Version version = campaign.version(variant);
            boolean isB = campaign.ab() != null && "B".equals(variant != null ? variant : campaign.abWinner());
            return CampaignVariables.render(version, isB ? b : a, contact, files);
        }

        /** Whether the recipient's message can be written: for the rest of an A/B test, with either template. */
        boolean renders(String variant, Contact contact) {
            if (variant == null && campaign.abWinner() == null && campaign.ab() != null) {
                return render("A", contact).isPresent() && render("B", contact).isPresent();
            }
            return render(variant, contact).isPresent();
        }
    }
}
