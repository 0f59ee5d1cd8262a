package hexa.platform.web;

/**
 * What every page template receives besides its own data: the CSRF token for its forms, the frame
 * around it (null on public pages), the current path and a one-time notice after a redirect.
 */
public record Page(String csrfParameter, String csrfToken, Shell shell, String path, String notice, String noticeKind) {

    public boolean signedIn() {
        return shell != null;
    }

    public boolean at(String prefix) {
        return path != null && (path.equals(prefix) || path.startsWith(prefix + "/"));
    }
}
