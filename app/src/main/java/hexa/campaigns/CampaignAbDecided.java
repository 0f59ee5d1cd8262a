package hexa.campaigns;

import java.time.Instant;
import java.util.UUID;

/**
 * An A/B campaign's winner was decided: the recipients waiting for it (variant null) may now be sent the winning
 * variant ({@code "A"} or {@code "B"}). Published in the transaction that set {@code campaigns.ab_winner}.
 */
public record CampaignAbDecided(UUID tenantId, UUID campaignId, String winner, double rateA, double rateB, Instant decidedAt) {
}
