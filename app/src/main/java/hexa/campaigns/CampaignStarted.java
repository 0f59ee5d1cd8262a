package hexa.campaigns;

import java.time.Instant;
import java.util.UUID;

/** A campaign's audience is written and its sending has begun; {@code recipients} will get it (the excluded not counted). */
public record CampaignStarted(UUID tenantId, UUID campaignId, String name, long recipients, Instant at) {
}
