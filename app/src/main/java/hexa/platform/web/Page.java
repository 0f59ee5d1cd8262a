package hexa.platform.web;

/**
 * What every page template receives besides its own data: the CSRF token for its forms, the frame
 * around it (null on public pages), the current path and a one-time notice after a redirect, which may end with a link
 * to a page of the app ({@code noticeLink}, a path, and its text), and the banners a module shows on every page of the
 * workspace ({@link PageBanners}).
 */
public record Page(String csrfParameter, String csrfToken, Shell shell, String path, String notice, String noticeKind, String noticeLink,
                   String noticeLinkText, java.util.List<PageBanners.Banner> banners) {

    public Page {
        banners = banners == null ? java.util.List.of() : java.util.List.copyOf(banners);
    }

    public Page(String csrfParameter, String csrfToken, Shell shell, String path, String notice, String noticeKind, String noticeLink,
                String noticeLinkText) {
        this(csrfParameter, csrfToken, shell, path, notice, noticeKind, noticeLink, noticeLinkText, java.util.List.of());
    }

    public Page(String csrfParameter, String csrfToken, Shell shell, String path, String notice, String noticeKind) {
        this(csrfParameter, csrfToken, shell, path, notice, noticeKind, null, null);
    }

    public boolean signedIn() {
        return shell != null;
    }

    private static final java.time.format.DateTimeFormatter TIME = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
    private static final java.time.format.DateTimeFormatter DATE = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd");
    private static final java.time.format.DateTimeFormatter HOUR = java.time.format.DateTimeFormatter.ofPattern("HH:mm");

    /** Times are stored in UTC and shown in the workspace's time zone. */
    public java.time.ZoneId zone() {
        return shell != null && shell.timeZone() != null ? shell.timeZone() : java.time.ZoneOffset.UTC;
    }

    public String time(java.time.Instant instant) {
        return instant == null ? "" : TIME.format(instant.atZone(zone()));
    }

    public String date(java.time.Instant instant) {
        return instant == null ? "" : DATE.format(instant.atZone(zone()));
    }

    /** The time of day alone, for tables that show the date and the time on two lines. */
    public String hour(java.time.Instant instant) {
        return instant == null ? "" : HOUR.format(instant.atZone(zone()));
    }

    public boolean at(String prefix) {
        return path != null && (path.equals(prefix) || path.startsWith(prefix + "/"));
    }

    /**
     * Whether a settings entry is the page shown: its path is where we are, and no other entry's longer path is (so
     * that Settings → Privacy is not marked as well when Settings → Backups, at {@code /settings/privacy/backups}, is).
     */
    public boolean atSetting(String entryPath) {
        return at(entryPath) && (shell == null || shell.settings().stream()
                .noneMatch(other -> other.path().length() > entryPath.length() && at(other.path())));
    }
}
