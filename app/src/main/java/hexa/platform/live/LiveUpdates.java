package hexa.platform.live;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Live updates across app nodes through PostgreSQL's LISTEN/NOTIFY. A feature publishes inside its
 * own transaction, so the news goes out exactly when (and only if) the change commits, to every
 * node; each node hands it to its subscribers of that workspace (the browsers of signed-in members,
 * through server-sent events). A news item names what changed, never its content: whoever receives
 * it reads the current state through the normal, permission-checked path.
 */
@Component
public class LiveUpdates implements InitializingBean, DisposableBean {

    static final String CHANNEL = "hexa_live";
    private static final Logger log = LoggerFactory.getLogger(LiveUpdates.class);

    /** What changed: a topic (e.g. "conversation") and the id of the thing, in a workspace. */
    public record News(UUID tenantId, String topic, String id) {
        /** Not a change but a gap: news may have been missed (the listener reconnected); refresh everything. */
        public boolean resync() {
            return "resync".equals(topic);
        }
    }

    private final JdbcClient jdbc;
    private final DataSource dataSource;
    private final Map<UUID, Set<Consumer<News>>> subscribers = new ConcurrentHashMap<>();
    private volatile boolean running = true;
    private Thread listener;

    LiveUpdates(JdbcClient jdbc, DataSource dataSource) {
        this.jdbc = jdbc;
        this.dataSource = dataSource;
    }

    /** Announces a change; delivered when the caller's transaction commits (at once without one). */
    public void publish(UUID tenantId, String topic, Object id) {
        jdbc.sql("select pg_notify(:channel, :payload)")
                .param("channel", CHANNEL).param("payload", tenantId + "|" + topic + "|" + id)
                .query((rs, n) -> 1).list();
    }

    /** A conversation changed (members watching the inbox refresh it); nothing for a message outside any conversation. */
    public void conversationChanged(UUID tenantId, UUID conversationId) {
        if (conversationId != null) {
            publish(tenantId, "conversation", conversationId);
        }
    }

    /** Receives the workspace's news until the returned handle is closed. Called on the listener thread: be quick. */
    public AutoCloseable subscribe(UUID tenantId, Consumer<News> subscriber) {
        subscribers.computeIfAbsent(tenantId, t -> ConcurrentHashMap.newKeySet()).add(subscriber);
        return () -> subscribers.computeIfPresent(tenantId, (t, set) -> {
            set.remove(subscriber);
            return set.isEmpty() ? null : set;
        });
    }

    @Override
    public void afterPropertiesSet() {
        listener = new Thread(this::listen, "live-updates");
        listener.setDaemon(true);
        listener.start();
    }

    @Override
    public void destroy() {
        running = false;
        if (listener != null) {
            listener.interrupt();
        }
    }

    private void listen() {
        boolean first = true;
        while (running) {
            try (Connection connection = openDedicated()) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("listen " + CHANNEL);
                }
                if (!first) {
                    // Anything published while we were away is lost: tell every subscriber to refresh.
                    subscribers.forEach((tenant, set) -> deliver(new News(tenant, "resync", "")));
                }
                first = false;
                PGConnection pg = connection.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] notifications = pg.getNotifications(5_000);
                    if (notifications == null) {
                        continue;
                    }
                    for (PGNotification notification : notifications) {
                        News news = parse(notification.getParameter());
                        if (news != null) {
                            deliver(news);
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    return;
                }
                log.warn("Live updates lost their database connection; reconnecting: {}", e.getMessage());
                try {
                    Thread.sleep(1_000);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    private void deliver(News news) {
        Set<Consumer<News>> set = subscribers.get(news.tenantId());
        if (set == null) {
            return;
        }
        for (Consumer<News> subscriber : set) {
            try {
                subscriber.accept(news);
            } catch (RuntimeException e) {
                log.debug("A live subscriber failed: {}", e.getMessage());
            }
        }
    }

    static News parse(String payload) {
        String[] parts = payload.split("\\|", 3);
        if (parts.length != 3) {
            return null;
        }
        try {
            return new News(UUID.fromString(parts[0]), parts[1], parts[2]);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** A connection of its own, outside the pool: it listens for the life of the node. */
    private Connection openDedicated() throws SQLException {
        if (dataSource instanceof HikariDataSource hikari) {
            return DriverManager.getConnection(hikari.getJdbcUrl(), hikari.getUsername(), hikari.getPassword());
        }
        return dataSource.getConnection();
    }
}
