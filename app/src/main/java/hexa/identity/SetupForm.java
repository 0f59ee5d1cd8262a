package hexa.identity;

/** What the first-start form asks for. */
public record SetupForm(String workspaceName, String timeZone, String country, String name, String email, String password) {

    static SetupForm blank() {
        return new SetupForm("", "UTC", "IN", "", "", "");
    }
}
