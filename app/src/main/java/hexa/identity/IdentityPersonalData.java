package hexa.identity;

import static hexa.platform.privacy.PersonalTable.Expiry.KEPT;
import static hexa.platform.privacy.PersonalTable.Expiry.OWN_TIMER;
import static hexa.platform.privacy.PersonalTable.member;
import static hexa.platform.privacy.PersonalTable.none;

import hexa.platform.privacy.PersonalData;
import hexa.platform.privacy.PersonalTable;
import java.util.List;
import org.springframework.stereotype.Component;

/** Members' accounts: their names, addresses, secrets and sign-ins. No customer data. */
@Component
class IdentityPersonalData implements PersonalData {

    @Override
    public List<PersonalTable> tables() {
        return List.of(
                member("users", List.of("email", "name", "password_hash"), KEPT, "Members' accounts."),
                member("memberships", List.of("user_id", "role"), KEPT, "Who belongs to which workspace, with which role."),
                member("invitations", List.of("email"), OWN_TIMER, "Invitations by email address, until accepted, revoked or expired."),
                member("invitation_address_proofs", List.of("token_hash"), OWN_TIMER, "One-time proofs that an invited address was reached."),
                member("password_resets", List.of("user_id", "token_hash"), OWN_TIMER, "Password reset links, valid for an hour."),
                member("two_factor", List.of("user_id", "secret_sealed"), KEPT, "Members' authenticator secrets (sealed)."),
                member("two_factor_recovery_codes", List.of("user_id", "code_hash"), KEPT, "Members' recovery codes (hashed)."),
                member("api_tokens", List.of("last_used_from", "created_by"), KEPT, "API tokens (hashed), with the address they were last used from."),
                member("sign_in_throttle", List.of("key"), OWN_TIMER, "Failed sign-ins per address, forgotten after the lock period."),
                none("workspaces", KEPT, "Workspaces: their names, time zones and settings."),
                none("single_sign_on", KEPT, "A workspace's single sign-on provider (its secret sealed)."));
    }
}
