package hexa.platform.tenant;

import java.util.Optional;
import java.util.UUID;

/**
 * The one place every query takes its workspace from. It is filled from the signed-in principal
 * (session or API token) for each request, never from a request parameter, and emptied afterwards.
 * Background work enters a workspace explicitly with {@link #enter(Actor)}.
 */
public final class TenantContext {

    private static final ThreadLocal<Actor> CURRENT = new ThreadLocal<>();

    private TenantContext() {
    }

    /** The workspace of the current request; a query outside any workspace is a programming error. */
    public static UUID tenantId() {
        return actor().tenantId();
    }

    public static Actor actor() {
        Actor actor = CURRENT.get();
        if (actor == null) {
            throw new IllegalStateException("No workspace in this context: tenant-owned data was asked for outside a workspace");
        }
        return actor;
    }

    public static Optional<Actor> current() {
        return Optional.ofNullable(CURRENT.get());
    }

    /** Acts as {@code actor} until the returned scope is closed, then restores what was before. */
    public static Scope enter(Actor actor) {
        Actor previous = CURRENT.get();
        CURRENT.set(actor);
        return () -> {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        };
    }

    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
