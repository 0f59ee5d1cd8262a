package hexa.reports;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What the reports page shows: new contacts of the chosen period by source, and the ads that brought them.
 *
 * @param canSeeContacts the member may open the contacts list (an Analyst sees counts, not people)
 */
public record ReportsPage(int days, int total, int fromAds, int fromPosts, int other, int fromAdsPercent, List<Ad> ads,
                          boolean canSeeContacts) {

    /** One ad, as a row of the table. */
    public record Ad(String sourceId, String headline, boolean post, int contacts) {
        /** The contacts list of the people this ad brought in (by its id; by its headline when Meta gave no id). */
        public String contactsLink() {
            String ad = sourceId != null ? sourceId : headline;
            return ad == null ? null : "/contacts?ad=" + URLEncoder.encode(ad, StandardCharsets.UTF_8);
        }
    }

    ReportsPage(NewContactsBySource.Report report, boolean canSeeContacts) {
        this(report.days(), report.total(), report.fromAds(), report.fromPosts(), report.other(), report.fromAdsPercent(),
                report.ads().stream().map(a -> new Ad(a.sourceId(), a.headline(), "post".equals(a.sourceType()), a.contacts())).toList(),
                canSeeContacts);
    }

    public List<Integer> periods() {
        return NewContactsBySource.PERIODS;
    }
}
