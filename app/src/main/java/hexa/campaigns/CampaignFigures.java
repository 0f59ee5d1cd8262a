package hexa.campaigns;

import hexa.contacts.Contact;
import hexa.contacts.ContactAudiences;
import hexa.contacts.ContactService;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * What the campaign pages show in numbers: a campaign's funnel, why its messages failed in plain words, and, before it
 * is sent, who its audience would reach and who not, by reason.
 *
 * <p>The funnel comes from {@link CampaignService#funnel} ({@link CampaignFunnel}), failures' words from {@link CampaignFailureReasons}.
 */
@Component
class CampaignFigures {

    /** The most contacts counted before sending; a bigger audience is counted this far and said to be larger. */
    static final int COUNT_LIMIT = 50_000;
    static final List<String> REASONS = List.of("NO_CONSENT", "OPTED_OUT", "BLOCKED", "NO_WHATSAPP", "EXCLUDED_TAG", "MISSING_VARIABLE");

    private final CampaignService campaigns;
    private final CampaignAudience audience;
    private final CampaignRows rows;
    private final ContactAudiences audiences;
    private final ContactService contacts;
    private final CampaignFailureReasons reasons;
    private final CampaignPrices prices;

    CampaignFigures(CampaignService campaigns, CampaignAudience audience, CampaignRows rows, ContactAudiences audiences, ContactService contacts,
                    CampaignFailureReasons reasons, CampaignPrices prices) {
        this.campaigns = campaigns;
        this.audience = audience;
        this.rows = rows;
        this.audiences = audiences;
        this.contacts = contacts;
        this.reasons = reasons;
        this.prices = prices;
    }

    /** The campaign's funnel ({@link CampaignFunnel#counts} through the service). */
    CampaignService.Funnel funnel(UUID campaignId) {
        return campaigns.funnel(campaignId);
    }

    /** Why messages failed with Meta's {@code code} ("none": never confirmed), in plain words. */
    String failure(String code) {
        if (code == null || code.equals("unknown") || code.equals("none")) {
            return reasons.reason(null, null);
        }
        try {
            return reasons.reason(Integer.valueOf(code), null);
        } catch (NumberFormatException e) {
            return reasons.reason(null, null);
        }
    }

    /** Who a draft's audience reaches today: how many get it, and the others by reason. */
    record AudienceCount(long contacts, long reached, Map<String, Long> excluded, boolean more, java.math.BigDecimal estimate, String currency) {
    }

    /**
     * Counts the audience as preparing it would write it (the first {@value #COUNT_LIMIT} contacts of it): contacts whose
     * standing keeps them out by reason, and those whose variables have neither a value nor a fallback; and what sending
     * to those it reaches would cost at Meta's prices ({@link CampaignPrices}).
     */
    AudienceCount count(Campaign campaign) {
        Map<String, Long> excluded = new LinkedHashMap<>();
        REASONS.forEach(r -> excluded.put(r, 0L));
        CampaignDraft.Audience a = campaign.audience();
        CampaignAudience.Versions versions = audience.versions(campaign);
        long seen = 0;
        long reached = 0;
        java.math.BigDecimal estimate = java.math.BigDecimal.ZERO;
        boolean more = false;
        UUID after = null;
        while (true) {
            List<ContactAudiences.Member> members;
            boolean last;
            if (a.upload() != null || a.followUpOf() != null) {
                int room = COUNT_LIMIT - (int) seen;
                List<UUID> ids = a.upload() != null ? rows.contactsAfter(campaign.id(), after, Math.min(room, ContactAudiences.MAX_PAGE),
                        List.of("WAITING", "EXCLUDED")) : rows.followUpAfter(a.followUpOf(), a.rule(), after, Math.min(room, ContactAudiences.MAX_PAGE));
                last = ids.size() < Math.min(room, ContactAudiences.MAX_PAGE);
                after = ids.isEmpty() ? after : ids.get(ids.size() - 1);
                members = ids.isEmpty() ? List.of() : audiences.page(new ContactAudiences.Audience(null, ids, a.excludeTags(), campaign.marketing()),
                        null, ContactAudiences.MAX_PAGE);
            } else {
                members = audiences.page(new ContactAudiences.Audience(audience.filter(a), null, a.excludeTags(), campaign.marketing()), after,
                        ContactAudiences.MAX_PAGE);
                last = members.size() < ContactAudiences.MAX_PAGE;
                after = members.isEmpty() ? after : members.get(members.size() - 1).contactId();
            }
            List<UUID> allowed = new ArrayList<>();
            for (ContactAudiences.Member m : members) {
                if (m.standing() == ContactAudiences.Standing.ALLOWED) {
                    allowed.add(m.contactId());
                } else {
                    excluded.merge(m.standing().name(), 1L, Long::sum);
                }
            }
            Map<UUID, Contact> people = allowed.isEmpty() ? Map.of() : contacts.byIds(allowed);
            Map<UUID, String> waIds = new java.util.HashMap<>();
            members.forEach(m -> waIds.put(m.contactId(), m.waId()));
            for (UUID id : allowed) {
                Contact contact = people.get(id);
                String variant = CampaignAudience.variant(campaign, id);
                if (contact == null) {
                    excluded.merge("NO_WHATSAPP", 1L, Long::sum);
                } else if (!versions.renders(variant, contact)) {
                    excluded.merge("MISSING_VARIABLE", 1L, Long::sum);
                } else {
                    reached++;
                    // What it would cost: Meta's price for the template's category in the recipient's country (as the
                    // estimate written when the campaign starts prices it).
                    String category = "B".equals(variant) && campaign.ab() != null && campaign.ab().templateCategory() != null
                            ? campaign.ab().templateCategory() : campaign.templateCategory();
                    estimate = estimate.add(prices.price(category == null || category.isBlank() ? "MARKETING" : category,
                            RecipientZones.country(waIds.get(id))));
                }
            }
            seen += members.size();
            if (last) {
                break;
            }
            if (seen >= COUNT_LIMIT) {
                more = true;
                break;
            }
        }
        return new AudienceCount(seen, reached, excluded, more, estimate.setScale(2, java.math.RoundingMode.HALF_UP), prices.currency());
    }
}
