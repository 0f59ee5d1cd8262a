package hexa.platform.web;

import java.util.Locale;
import org.springframework.context.MessageSource;
import org.springframework.context.NoSuchMessageException;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.stereotype.Component;

/**
 * Every text a person reads comes from the message bundles ({@code messages*.properties}), so that
 * new languages need no code. Templates call {@code t("key")}.
 */
@Component
public final class Text {

    private static volatile MessageSource messages;

    Text(MessageSource messageSource) {
        messages = messageSource;
    }

    public static String t(String key, Object... args) {
        MessageSource source = messages;
        if (source == null) {
            return key;
        }
        Locale locale = LocaleContextHolder.getLocale();
        try {
            return source.getMessage(key, args, locale);
        } catch (NoSuchMessageException e) {
            return key;
        }
    }
}
