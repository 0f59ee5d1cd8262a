package hexa.campaigns;

import hexa.platform.database.JsonRows;
import hexa.platform.tenant.TenantContext;
import hexa.platform.web.NotFoundException;
import hexa.platform.web.UserError;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * "Clicked" in the funnel: a campaign whose template has a URL button pointing at our redirect
 * ({@code https://<public address>/c/{{1}}}) gets, per recipient, the button's parameter from {@link #buttonParameters}:
 * the workspace, campaign and contact, signed with the campaign's own key. Following it records the first click and
 * leads on to the campaign's {@code click_url}. A link changed by hand, or of a campaign without a destination, leads
 * nowhere (404).
 */
@Service
public class CampaignClicks {

    private static final int IDS = 48;
    private static final int MAC = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final JdbcClient jdbc;
    private final CampaignLive live;
    private final Clock clock;

    CampaignClicks(JdbcClient jdbc, CampaignLive live, Clock clock) {
        this.jdbc = jdbc;
        this.live = live;
        this.clock = clock;
    }

    /** Sets (or clears, with null) where the campaign's button leads; only an http or https address. */
    @Transactional
    public void leadTo(UUID campaignId, String url) {
        String target = url == null || url.isBlank() ? null : url.strip();
        if (target != null && !(target.startsWith("https://") || target.startsWith("http://")) || target != null && target.length() > 2000) {
            throw UserError.invalid("campaigns.clicks.url-invalid", String.valueOf(url));
        }
        int changed = jdbc.sql("update campaigns set click_url = :url where tenant_id = :tenant and id = :id")
                .param("url", target).param("tenant", TenantContext.tenantId()).param("id", campaignId).update();
        if (changed == 0) {
            throw new NotFoundException();
        }
    }

    /** The URL button's parameter for each of the contacts: one link each, the same every time it is asked for. */
    @Transactional
    public Map<UUID, String> buttonParameters(UUID campaignId, List<UUID> contactIds) {
        UUID tenant = TenantContext.tenantId();
        byte[] fresh = new byte[32];
        RANDOM.nextBytes(fresh);
        byte[] secret = jdbc.sql("""
                update campaigns set click_secret = coalesce(click_secret, :fresh) where tenant_id = :tenant and id = :id returning click_secret
                """)
                .param("fresh", fresh).param("tenant", tenant).param("id", campaignId).query(byte[].class).optional()
                .orElseThrow(NotFoundException::new);
        Map<UUID, String> links = new LinkedHashMap<>();
        for (UUID contact : contactIds) {
            ByteBuffer token = ByteBuffer.allocate(IDS + MAC);
            token.put(ids(tenant, campaignId, contact)).put(mac(secret, ids(tenant, campaignId, contact)));
            links.put(contact, Base64.getUrlEncoder().withoutPadding().encodeToString(token.array()));
        }
        return links;
    }

    /**
     * A recipient followed their link: the first click is recorded; answers where the link leads, or empty for a link
     * that is not one of ours (changed, of a campaign that is gone, of a recipient erased) or leads nowhere.
     */
    @Transactional
    public Optional<String> followed(String token) {
        byte[] raw;
        try {
            raw = token == null || token.length() > 100 ? null : Base64.getUrlDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            raw = null;
        }
        if (raw == null || raw.length != IDS + MAC) {
            return Optional.empty();
        }
        ByteBuffer buffer = ByteBuffer.wrap(raw);
        UUID tenant = new UUID(buffer.getLong(), buffer.getLong());
        UUID campaign = new UUID(buffer.getLong(), buffer.getLong());
        UUID contact = new UUID(buffer.getLong(), buffer.getLong());
        byte[] mac = new byte[MAC];
        buffer.get(mac);
        record Destination(String url, byte[] secret) {
        }
        Optional<Destination> destination = jdbc.sql("select click_url, click_secret from campaigns where tenant_id = :tenant and id = :id")
                .param("tenant", tenant).param("id", campaign)
                .query((rs, n) -> new Destination(rs.getString("click_url"), rs.getBytes("click_secret"))).optional();
        if (destination.isEmpty() || destination.get().secret() == null || destination.get().url() == null
                || !MessageDigest.isEqual(mac, mac(destination.get().secret(), ids(tenant, campaign, contact)))) {
            return Optional.empty();
        }
        int recipients = jdbc.sql("""
                update campaign_recipients set clicked_at = coalesce(clicked_at, :now)
                 where tenant_id = :tenant and campaign_id = :campaign and contact_id = :contact and message_id is not null
                """)
                .param("now", hexa.platform.database.Sql.ts(clock.instant())).param("tenant", tenant).param("campaign", campaign)
                .param("contact", contact).update();
        if (recipients == 0) {
            return Optional.empty();
        }
        live.changed(tenant, campaign);
        return Optional.of(destination.get().url());
    }

    private static byte[] ids(UUID tenant, UUID campaign, UUID contact) {
        return ByteBuffer.allocate(IDS).putLong(tenant.getMostSignificantBits()).putLong(tenant.getLeastSignificantBits())
                .putLong(campaign.getMostSignificantBits()).putLong(campaign.getLeastSignificantBits())
                .putLong(contact.getMostSignificantBits()).putLong(contact.getLeastSignificantBits()).array();
    }

    private static byte[] mac(byte[] secret, byte[] ids) {
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(secret, "HmacSHA256"));
            byte[] full = hmac.doFinal(ids);
            byte[] shortened = new byte[MAC];
            System.arraycopy(full, 0, shortened, 0, MAC);
            return shortened;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }
}
