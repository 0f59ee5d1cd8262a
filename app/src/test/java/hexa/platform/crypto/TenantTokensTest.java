package hexa.platform.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class TenantTokensTest {

    @RepeatedTest(200)
    void every_issued_token_names_its_workspace_and_hashes_to_what_is_stored() {
        UUID tenant = UUID.randomUUID();
        String token = TenantTokens.issue("hexa_", tenant);

        var parsed = TenantTokens.parse("hexa_", token).orElseThrow();

        assertThat(parsed.tenantId()).isEqualTo(tenant);
        assertThat(parsed.hash()).isEqualTo(hexa.platform.crypto.Tokens.sha256(token)).hasSize(64);
    }

    @Test
    void malformed_tokens_are_rejected_without_an_exception() {
        assertThat(TenantTokens.parse("hexa_", null)).isEmpty();
        assertThat(TenantTokens.parse("hexa_", "")).isEmpty();
        assertThat(TenantTokens.parse("hexa_", "hexa_")).isEmpty();
        assertThat(TenantTokens.parse("hexa_", "other_AAAAAAAAAAAAAAAAAAAAAA_secret")).isEmpty();
        assertThat(TenantTokens.parse("hexa_", "hexa_!!!!!!!!!!!!!!!!!!!!!!_secret")).isEmpty();
        assertThat(TenantTokens.parse("hexa_", "hexa_" + "A".repeat(300))).isEmpty();
    }
}
