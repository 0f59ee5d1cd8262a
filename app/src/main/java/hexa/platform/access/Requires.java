package hexa.platform.access;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * An endpoint for members of the current workspace whose role has this permission. Every web
 * endpoint carries exactly one of {@link Requires}, {@link SignedIn} or {@link Public}; one
 * interceptor enforces them for pages and the API alike.
 */
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
public @interface Requires {
    Permission value();
}
