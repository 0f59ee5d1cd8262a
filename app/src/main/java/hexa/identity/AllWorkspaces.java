package hexa.identity;

import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/** Every workspace of the installation, for work done once per workspace in the background (the daily retention purge). */
@Service
public class AllWorkspaces {

    private final JdbcClient jdbc;

    AllWorkspaces(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The workspaces' ids, oldest first. */
    public List<UUID> ids() {
        return jdbc.sql("select id from workspaces order by created_at, id").query(UUID.class).list();
    }
}
