package hexa.campaigns;

import hexa.platform.web.Text;
import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.stereotype.Component;

/**
 * Why a recipient's message failed, in plain words, from Meta's error code ({@code campaigns.funnel.failed.<code>} in
 * messages-campaigns-funnel.properties); a code without words of its own is told with Meta's title.
 */
@Component
public class CampaignFailureReasons {

    private static final String PREFIX = "campaigns.funnel.failed.";

    private final MessageSource messages;

    CampaignFailureReasons(MessageSource messages) {
        this.messages = messages;
    }

    /** The reason for a failure with Meta's code (null: never confirmed by Meta) and title (shown for an unknown code). */
    public String reason(Integer code, String metaTitle) {
        if (code == null) {
            return Text.t(PREFIX + "none");
        }
        String known = messages.getMessage(PREFIX + code, null, null, LocaleContextHolder.getLocale());
        return known != null ? known : Text.t(PREFIX + "other", String.valueOf(code), metaTitle == null || metaTitle.isBlank() ? "-" : metaTitle);
    }
}
