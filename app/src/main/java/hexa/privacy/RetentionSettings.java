package hexa.privacy;

import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * A workspace's retention periods, as Settings → Privacy sets them and the daily purge, the public privacy page and
 * docs read them.
 */
@Service
public class RetentionSettings {

    /**
     * @param messageDays        messages and media are kept this many days; null keeps them
     * @param contactInactiveDays contacts without activity for this many days are deleted; null keeps them
     * @param logDays            audit and access logs
     * @param webhookBodyDays    raw webhook bodies, counted from when they were processed
     */
    public record Periods(Integer messageDays, Integer contactInactiveDays, int logDays, int webhookBodyDays) {
        public static final Periods DEFAULT = new Periods(90, null, 180, 7);
    }

    /** The workspace's periods (the defaults until an Owner changes them). */
    public Periods periods(UUID tenantId) {
        return Periods.DEFAULT;
    }
}
