package hexa.campaigns;

import java.time.Instant;
import java.util.UUID;

/** A campaign has handed every recipient over and every message of it has left the send queue (sent or failed). */
public record CampaignFinished(UUID tenantId, UUID campaignId, String name, Instant at) {
}
