package hexa.automation.hours;

import hexa.platform.privacy.WorkspaceDeletion;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** A closed workspace's business hours and holidays; before the inbox's teams, which they refer to. */
@Component
class BusinessHoursWorkspaceDeletion implements WorkspaceDeletion {

    private static final List<String> DELETES = List.of(
            "delete from business_hour_intervals where tenant_id = :tenant",
            "delete from business_hour_weeks where tenant_id = :tenant",
            "delete from business_hour_holidays where tenant_id = :tenant");

    private final JdbcClient jdbc;

    BusinessHoursWorkspaceDeletion(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public int order() {
        return 15;
    }

    @Override
    public Map<String, Long> deleteWorkspace(UUID tenantId) {
        return WorkspaceDeletion.deleteInOrder(jdbc, tenantId, DELETES, new LinkedHashMap<>());
    }
}
