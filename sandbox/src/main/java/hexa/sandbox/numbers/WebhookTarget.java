package hexa.sandbox.numbers;

/**
 * Where an app receives webhooks: callback URL, the secret that signs them and the token the
 * verification handshake presents. Numbers of one app share a target and so share POSTs.
 */
public record WebhookTarget(String callbackUrl, String appSecret, String verifyToken) {

    public boolean isConfigured() {
        return callbackUrl != null && !callbackUrl.isBlank();
    }
}
