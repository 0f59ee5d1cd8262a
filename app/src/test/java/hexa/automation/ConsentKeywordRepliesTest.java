package hexa.automation;

import hexa.identity.Fixtures;
import hexa.support.DomainEvents;
import hexa.support.HexaIntegrationTest;
import hexa.support.SandboxCustomer;
import hexa.whatsapp.InboundMessagesReceived;
import java.sql.Connection;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.IncompleteEventPublications;
import static hexa.support.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The consent keywords' replies are a listener of the channel's {@link InboundMessagesReceived}: the STOP is
 * answered after its message is stored, and an answer cut off half-way (its node died, its database
 * connection was killed) is not lost: the publication stays on record and is handed out again at the next
 * start.
 */
class ConsentKeywordRepliesTest extends HexaIntegrationTest {

    private static final String LISTENER = "automation.consent-keyword-replies";

    @Autowired
    JdbcClient jdbc;

    @Autowired
    DataSource dataSource;

    @Autowired
    IncompleteEventPublications incomplete;

    @Value("${hexa.events.republish-on-start:true}")
    boolean republishedOnRestart;

    private Fixtures.TestWorkspace workspace;
    private SandboxCustomer customer;

    @BeforeEach
    void aWorkspaceWithASandboxNumber() {
        Fixtures.SandboxWorkspace withNumber = fixtures.withSandboxNumber("Crash Co");
        workspace = withNumber.workspace();
        customer = withNumber.customer();
    }

    @Test
    void a_stop_whose_answer_was_killed_half_way_is_answered_after_the_restart() throws Exception {
        customer.writes("919800000301", "Hello");
        UUID contact = jdbc.sql("select id from contacts where tenant_id = :t and wa_id = '919800000301'").param("t", workspace.id())
                .query(UUID.class).single();

        try (Connection blocker = dataSource.getConnection()) {
            blocker.setAutoCommit(false);
            try (Statement lock = blocker.createStatement()) {
                // Inserts into the consent history wait behind this (reads do not): the listener stops half-way.
                lock.execute("lock table contact_consent_events in exclusive mode");
            }
            customer.sends("919800000301", "STOP");
            int listener = await(() -> jdbc.sql("""
                    select coalesce(max(pid), 0) from pg_stat_activity
                     where datname = current_database() and wait_event_type = 'Lock' and query ilike '%contact_consent_events%'
                    """).query(Integer.class).single(), pid -> pid > 0, "the listener waiting half-way through its answer");
            // The listener's connection dies with its transaction, as it would with its node.
            jdbc.sql("select pg_terminate_backend(:pid)").param("pid", listener).query(Boolean.class).single();
            blocker.rollback();
        }

        String state = await(() -> jdbc.sql("""
                select coalesce(status, 'PUBLISHED') from event_publication
                 where listener_id = :listener and completion_date is null and serialized_event like :tenant
                """).param("listener", LISTENER).param("tenant", "%" + workspace.id() + "%").query(String.class).optional().orElse(""),
                "FAILED"::equals, "the cut-off publication on record, incomplete");
        assertThat(state).isEqualTo("FAILED");
        assertThat(consentOf(contact)).as("nothing of the cut-off answer was kept").isEqualTo("unknown");
        assertThat(outboundCount()).isZero();

        // What a start does when the registry holds incomplete publications (platform.events.FailedEventRetries, once started).
        assertThat(republishedOnRestart).isTrue();
        incomplete.resubmitIncompletePublications(publication -> publication.getEvent() instanceof InboundMessagesReceived received
                && received.tenantId().equals(workspace.id()));

        await(() -> consentOf(contact), "opted_out"::equals, "the STOP applied after the restart");
        DomainEvents.awaitHandled(jdbc);
        assertThat(outboundCount()).as("the acknowledgement queued, once").isEqualTo(1);
        assertThat(jdbc.sql("select count(*) from event_publication where listener_id = :listener and serialized_event like :tenant")
                .param("listener", LISTENER).param("tenant", "%" + workspace.id() + "%").query(Integer.class).single())
                .as("the publication completed (and, completed, removed)").isZero();
    }

    private String consentOf(UUID contact) {
        return jdbc.sql("select marketing_consent from contacts where tenant_id = :t and id = :c").param("t", workspace.id()).param("c", contact)
                .query(String.class).single();
    }

    private int outboundCount() {
        return jdbc.sql("select count(*) from messages where tenant_id = :t and direction = 'OUTBOUND'").param("t", workspace.id())
                .query(Integer.class).single();
    }
}
