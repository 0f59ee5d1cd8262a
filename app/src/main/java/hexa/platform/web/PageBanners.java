package hexa.platform.web;

import java.util.List;

/**
 * Banners a module shows at the top of every signed-in page of a workspace (a workspace being closed, say). The
 * banner's text is already resolved; a link, when there is one, is a path of the app.
 */
public interface PageBanners {

    /** A warning shown above the page's content. */
    record Banner(String testId, String text, String linkPath, String linkText) {
    }

    /** The banners for the workspace and person of this frame; usually none. */
    List<Banner> bannersFor(Shell shell);
}
