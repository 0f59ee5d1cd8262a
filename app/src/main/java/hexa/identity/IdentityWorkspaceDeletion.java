package hexa.identity;

import hexa.platform.privacy.WorkspaceDeletion;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Last: a closed workspace's API tokens, invitations, single sign-on, memberships and the workspace row itself. Members' user accounts stay: they may belong to other workspaces. */
@Component
class IdentityWorkspaceDeletion implements WorkspaceDeletion {

    /** In this order: a row before those it refers to. */
    private static final List<String> DELETES = List.of(
            "delete from api_tokens where tenant_id = :tenant",
            "delete from invitation_address_proofs where tenant_id = :tenant",
            "delete from invitations where tenant_id = :tenant",
            "delete from single_sign_on where tenant_id = :tenant",
            "delete from memberships where tenant_id = :tenant",
            "delete from workspaces where id = :tenant");

    private final JdbcClient jdbc;

    IdentityWorkspaceDeletion(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public int order() {
        return 100;
    }

    @Override
    public Map<String, Long> deleteWorkspace(UUID tenantId) {
        Map<String, Long> removed = new LinkedHashMap<>();
        WorkspaceDeletion.deleteInOrder(jdbc, tenantId, DELETES, removed);
        return removed;
    }
}
