package hexa.platform.database;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import hexa.platform.config.HexaProperties;
import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * One PostgreSQL for everything: the server named by {@code HEXA_DATABASE_URL}, or else an embedded
 * PostgreSQL 17 whose files live in {@code <data dir>/pg}.
 */
@Configuration(proxyBeanMethods = false)
class DatabaseConfiguration {

    @Bean(destroyMethod = "close")
    DataSource dataSource(HexaProperties properties) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("hexa");
        config.setMaximumPoolSize(Integer.getInteger("hexa.database.pool-size", 20));
        if (properties.databaseUrl() != null && !properties.databaseUrl().isBlank()) {
            DatabaseUrl url = DatabaseUrl.parse(properties.databaseUrl());
            config.setJdbcUrl(url.jdbcUrl());
            if (url.username() != null) {
                config.setUsername(url.username());
            }
            if (url.password() != null) {
                config.setPassword(url.password());
            }
            return new HikariDataSource(config);
        }
        EmbeddedPostgresServer server = EmbeddedPostgresServer.start(properties.dataDir().toAbsolutePath().resolve("pg"), true);
        config.setJdbcUrl(server.jdbcUrl("postgres"));
        config.setUsername(server.user());
        config.setPassword(server.password());
        return new EmbeddedDataSource(config, server);
    }

    /** Closing the pool also stops the embedded server, in that order. */
    static final class EmbeddedDataSource extends HikariDataSource {
        private final EmbeddedPostgresServer server;

        EmbeddedDataSource(HikariConfig config, EmbeddedPostgresServer server) {
            super(config);
            this.server = server;
        }

        @Override
        public void close() {
            super.close();
            server.close();
        }
    }
}
