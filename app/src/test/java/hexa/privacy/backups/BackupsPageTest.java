package hexa.privacy.backups;

import static org.assertj.core.api.Assertions.assertThat;

import hexa.identity.Fixtures;
import hexa.platform.access.Role;
import hexa.support.Eventually;
import hexa.support.HexaIntegrationTest;
import hexa.support.Response;
import hexa.support.WebClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Settings → Backups: Owners alone see the backups kept and start one by hand (audited, spaced), a backup older than 90
 * days is deleted by the next one, a day without a backup shows a warning, and Prometheus reads the last backup's age.
 */
class BackupsPageTest extends HexaIntegrationTest {

    @Autowired
    BackupService backups;

    @Autowired
    JdbcClient jdbc;

    @org.junit.jupiter.api.AfterEach
    void realTimeAgain() {
        clock.reset();
    }

    @Test
    void an_owner_backs_up_by_hand_and_sees_it_kept_while_an_old_backup_goes() throws Exception {
        Fixtures.TestWorkspace workspace = fixtures.workspace("Backups Page Co");
        WebClient admin = new WebClient(baseUrl());
        admin.signIn(fixtures.member(workspace, Role.ADMIN).email(), Fixtures.PASSWORD);
        assertThat(admin.get("/settings/privacy/backups").status()).as("Owners only").isEqualTo(403);
        assertThat(admin.post("/settings/privacy/backups/run", Map.of()).status()).isEqualTo(403);
        assertThat(admin.get("/settings/workspace").text()).doesNotContain("/settings/privacy/backups");

        Path old = backups.directory().resolve(Backups.PREFIX + Backups.NAME_TIME.format(Instant.now().minus(Duration.ofDays(91))) + Backups.SUFFIX);
        Files.createDirectories(backups.directory());
        Files.write(old, new byte[] {1, 2, 3});
        Path young = backups.directory().resolve(Backups.PREFIX + Backups.NAME_TIME.format(Instant.now().minus(Duration.ofDays(89))) + Backups.SUFFIX);
        Files.write(young, new byte[] {1, 2, 3});

        WebClient owner = new WebClient(baseUrl());
        owner.signIn(workspace.owner().email(), Fixtures.PASSWORD);
        Response page = owner.get("/settings/privacy/backups");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.text()).contains("Back up now").contains("href=\"/settings/privacy/backups\"").contains(old.getFileName().toString());
        // The settings menu marks Backups alone as the page shown, not Privacy too, whose address is a prefix of it.
        assertThat(page.text().split("aria-current=\"page\"", -1)).as("one settings entry marked as shown").hasSize(2);
        assertThat(page.text()).containsPattern("nav-link active\" href=\"/settings/privacy/backups\"");

        // Backups by hand are spaced 10 minutes apart across the installation, and other tests in this server may have
        // started one (the permission matrix tries every endpoint): this one comes later than that.
        if (backups.nextByHand().isAfter(clock.instant())) {
            clock.advance(Duration.between(clock.instant(), backups.nextByHand()).plusSeconds(1));
        }
        java.util.Set<Path> before = backups.status().kept().stream().map(Backups.BackupFile::path).collect(java.util.stream.Collectors.toSet());
        Response started = owner.follow("/settings/privacy/backups/run", Map.of());
        assertThat(started.text()).contains("The backup has started.");
        Eventually.until(() -> !backups.running(), "the backup to be made");
        java.util.List<Backups.BackupFile> made = backups.status().kept().stream().filter(b -> !before.contains(b.path())).toList();
        assertThat(made).as("one new backup").hasSize(1);
        assertThat(old).as("older than 90 days: deleted").doesNotExist();
        assertThat(young).exists();
        Response after = owner.get("/settings/privacy/backups");
        assertThat(after.text()).contains(made.get(0).name()).contains(made.get(0).readableSize()).doesNotContain(old.getFileName().toString())
                .doesNotContain("data-testid=\"backup-late\"").doesNotContain("data-testid=\"backup-failed\"");
        assertThat(jdbc.sql("select action from audit_events where tenant_id = :t").param("t", workspace.id()).query(String.class).list())
                .contains("privacy.backup_run_by_hand");
        assertThat(owner.follow("/settings/privacy/backups/run", Map.of()).text()).as("spaced").contains("less than 10 minutes ago");

        Response metrics = api(METRICS_TOKEN).get("/actuator/prometheus");
        String line = metrics.text().lines().filter(l -> l.startsWith("hexa_backup_last_success_age_seconds")).findFirst().orElseThrow();
        assertThat(Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).isLessThan(600);
        assertThat(metrics.text()).contains("hexa_backup_last_failed 0.0");

        Instant newest = backups.status().last().orElseThrow().takenAt();
        clock.advance(Duration.between(clock.instant(), newest.isAfter(clock.instant()) ? newest : clock.instant()).plusDays(2));
        assertThat(owner.get("/settings/privacy/backups").text()).as("a day without a backup").contains("data-testid=\"backup-late\"");
        clock.reset();
        Files.deleteIfExists(young);
    }

    @Test
    void the_daily_backup_leaves_a_day_that_has_one_and_backs_up_one_that_has_not() throws Exception {
        backups.backUp();
        java.util.Set<Path> before = paths();
        backups.daily();
        assertThat(paths()).as("a backup younger than 20 hours: none more").isEqualTo(before);

        // 21 hours after the newest backup kept (runs before this one may have left some dated ahead).
        Instant newest = backups.status().last().orElseThrow().takenAt();
        clock.advance(Duration.between(clock.instant(), newest.isAfter(clock.instant()) ? newest : clock.instant()).plusHours(21));
        backups.daily();
        java.util.List<Path> made = paths().stream().filter(p -> !before.contains(p)).toList();
        assertThat(made).hasSize(1);
        assertThat(Duration.between(Backups.takenAt(made.get(0)), clock.instant()).abs()).isLessThan(Duration.ofMinutes(1));
        assertThat(backups.status().late()).isFalse();
        Files.delete(made.get(0));
    }

    private java.util.Set<Path> paths() {
        return backups.status().kept().stream().map(Backups.BackupFile::path).collect(java.util.stream.Collectors.toSet());
    }
}
