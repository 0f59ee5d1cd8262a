package hexa.campaigns;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * A template sent to an audience, at a time, over one or more numbers. {@code audience}, {@code variables} and {@code ab}
 * are kept as their JSON ({@link CampaignDraft} reads them); {@code connectionIds} are the numbers that share its
 * recipients.
 *
 * @param status DRAFT, SCHEDULED, PREPARING (its audience is being written), SENDING, PAUSED, CANCELLED or FINISHED
 * @param sendAt when it starts (null: when started); with {@code localHour}, the first moment any recipient's day reaches it
 * @param failure why preparing stopped, or null
 */
public record Campaign(UUID id, String name, Status status, String templateName, String templateLanguage, String templateCategory,
                       CampaignVariables.Spec variables, CampaignDraft.AbTest ab, String abWinner, Instant abDecidedAt,
                       CampaignDraft.Audience audience, List<UUID> connectionIds, Instant sendAt, String timeZone, Integer localHour,
                       LocalDate localDate, UUID followUpOf, String followUpRule, String estimate, UUID createdBy, Instant createdAt,
                       Instant updatedAt, Instant startedAt, Instant pausedAt, Instant finishedAt, Instant cancelledAt,
                       UUID preparedThrough, Instant preparedAt, String failure) {

    public enum Status {
        DRAFT, SCHEDULED, PREPARING, SENDING, PAUSED, CANCELLED, FINISHED;

        /** A campaign that has ended: nothing more is sent. */
        public boolean ended() {
            return this == CANCELLED || this == FINISHED;
        }
    }

    public Campaign {
        connectionIds = connectionIds == null ? List.of() : List.copyOf(connectionIds);
    }

    /** True when the campaign's template is (or may be, when unknown) a marketing one: recipients need to have opted in. */
    public boolean marketing() {
        return templateCategory == null || templateCategory.equalsIgnoreCase("MARKETING")
                || (ab != null && (ab.templateCategory() == null || ab.templateCategory().equalsIgnoreCase("MARKETING")));
    }

    /** The template and variables a recipient of {@code variant} gets (null: the rest of an A/B test, once decided). */
    public Version version(String variant) {
        String chosen = variant != null ? variant : abWinner != null ? abWinner : "A";
        if (ab != null && chosen.equals("B")) {
            return new Version(ab.templateName(), ab.templateLanguage(), ab.variables());
        }
        return new Version(templateName, templateLanguage, variables);
    }

    /** One template of the campaign with its variables. */
    public record Version(String templateName, String templateLanguage, CampaignVariables.Spec variables) {
    }
}
