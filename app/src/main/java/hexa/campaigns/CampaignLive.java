package hexa.campaigns;

import hexa.platform.database.AfterCommit;
import hexa.platform.live.LiveUpdates;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Tells the pages watching a campaign that its funnel moved ({@link LiveUpdates} topic {@value #TOPIC}, the campaign's
 * id), at most once a second per campaign: at 1,000 statuses a second a page needs a fresh count now and then, not a
 * news item per message. A change within the second after the last news is told at the end of that second, so the last
 * change is never left untold.
 */
@Component
public class CampaignLive implements DisposableBean {

    /** The live-update topic of a campaign's funnel; the id is the campaign's. */
    public static final String TOPIC = "campaign";
    static final long INTERVAL_MILLIS = 1000;

    private final LiveUpdates live;
    private final Map<UUID, Long> lastTold = new ConcurrentHashMap<>();
    private final Map<UUID, Boolean> pending = new ConcurrentHashMap<>();
    private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "campaign-live");
        thread.setDaemon(true);
        return thread;
    });

    CampaignLive(LiveUpdates live) {
        this.live = live;
    }

    /** The campaign's funnel changed in the running transaction: told after it commits, throttled. */
    public void changed(UUID tenantId, UUID campaignId) {
        AfterCommit.run(() -> tell(tenantId, campaignId));
    }

    private void tell(UUID tenantId, UUID campaignId) {
        if (pending.putIfAbsent(campaignId, Boolean.TRUE) != null) {
            return; // news is on its way and will carry this change too
        }
        long now = System.currentTimeMillis();
        long wait = Math.max(0, lastTold.getOrDefault(campaignId, 0L) + INTERVAL_MILLIS - now);
        later.schedule(() -> {
            pending.remove(campaignId);
            lastTold.put(campaignId, System.currentTimeMillis());
            live.publish(tenantId, TOPIC, campaignId);
        }, wait, TimeUnit.MILLISECONDS);
    }

    @Override
    public void destroy() {
        later.shutdownNow();
    }
}
