package hexa.platform.timers;

import java.net.InetAddress;
import java.time.Clock;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Wires {@link Timers} on db-scheduler (by hand: its Spring Boot starter predates Boot 4). The scheduler starts once
 * the application is ready (so handlers find everything they need, and timers that fell due while it was down fire
 * then) and stops when the context closes, before the database pool does.
 */
@Configuration(proxyBeanMethods = false)
class TimersConfiguration {

    @Bean(destroyMethod = "stop")
    DatabaseTimers timers(DataSource dataSource, PlatformTransactionManager transactions, Clock clock,
                          ObjectProvider<TimerHandler> handlers, TimerSettings settings) {
        return new DatabaseTimers(dataSource, transactions, clock, () -> handlers.orderedStream().toList(), settings, nodeName());
    }

    @Bean
    TimersStart timersStart(DatabaseTimers timers) {
        return new TimersStart(timers);
    }

    static final class TimersStart {
        private final DatabaseTimers timers;

        TimersStart(DatabaseTimers timers) {
            this.timers = timers;
        }

        @EventListener(ApplicationReadyEvent.class)
        void start() {
            timers.start();
        }
    }

    /** The host and process, so that {@code picked_by} tells which node fires a timer. */
    private static String nodeName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "node";
        }
        return host + "-" + ProcessHandle.current().pid();
    }
}
