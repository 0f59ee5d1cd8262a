package hexa.identity;

import hexa.platform.database.Sql;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Links mailed to an invited address that prove their holder reads its mail; kept as hashes. */
@Repository
class AddressProofs {

    private final JdbcClient jdbc;

    AddressProofs(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(UUID tenantId, UUID id, UUID invitationId, String tokenHash, Instant createdAt, Instant expiresAt) {
        jdbc.sql("""
                insert into invitation_address_proofs (tenant_id, id, invitation_id, token_hash, created_at, expires_at)
                values (:tenant, :id, :invitation, :hash, :created, :expires)
                """)
                .param("tenant", tenantId).param("id", id).param("invitation", invitationId).param("hash", tokenHash)
                .param("created", Sql.ts(createdAt)).param("expires", Sql.ts(expiresAt))
                .update();
    }

    /** How many were mailed for an invitation since then, to bound the mails anyone can make us send. */
    int countSince(UUID tenantId, UUID invitationId, Instant since) {
        return jdbc.sql("""
                select count(*) from invitation_address_proofs
                 where tenant_id = :tenant and invitation_id = :invitation and created_at > :since
                """)
                .param("tenant", tenantId).param("invitation", invitationId).param("since", Sql.ts(since))
                .query(Integer.class).single();
    }

    /** The proof of this invitation with this hash, when it is unused and unexpired. */
    Optional<UUID> usable(UUID tenantId, UUID invitationId, String tokenHash, Instant now) {
        return jdbc.sql("""
                select id from invitation_address_proofs
                 where tenant_id = :tenant and token_hash = :hash and invitation_id = :invitation
                   and used_at is null and expires_at > :now
                """)
                .param("tenant", tenantId).param("hash", tokenHash).param("invitation", invitationId).param("now", Sql.ts(now))
                .query(UUID.class).optional();
    }

    /** Spends every proof of the invitation once one was used (or the invitation was accepted otherwise). */
    void spendAll(UUID tenantId, UUID invitationId, Instant now) {
        jdbc.sql("update invitation_address_proofs set used_at = :now where tenant_id = :tenant and invitation_id = :invitation and used_at is null")
                .param("tenant", tenantId).param("invitation", invitationId).param("now", Sql.ts(now)).update();
    }
}
