package hexa.sandbox;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings under {@code hexa.sandbox.*}. The paths are placeholders in the controllers' mappings, so
 * the same controllers serve Meta's layout standalone (Graph API at the root) and inside the app
 * (Graph API under {@code /sandbox/graph}).
 */
@ConfigurationProperties("hexa.sandbox")
public class SandboxProperties {

    /** Prefix of the Graph API: "" standalone (as graph.facebook.com), "/sandbox/graph" inside the app. */
    private String graphPath = "";

    /**
     * Base URL the sandbox puts in media download URLs. Empty means "the URL the request came in on",
     * which is right unless a proxy hides it.
     */
    private String publicUrl = "";

    /** Time a submitted template waits in PENDING before review decides it. */
    private Duration templateReviewDelay = Duration.ofSeconds(2);

    /**
     * The secret that opens the control API to scripts ({@code Authorization: Bearer}); empty means a random one
     * made at start and printed.
     */
    private String controlToken = "";

    /** Whether the phone simulator's page and script are served to anyone (standalone: the data needs the token anyway). */
    private boolean openSimulatorPage = false;

    /** Largest file a simulated customer may attach through the control API. */
    private long maxCustomerUploadBytes = 16L * 1024 * 1024;

    /** Most bytes of media kept at once; the oldest files are forgotten beyond it, as Meta forgets media after 30 days. */
    private long maxStoredMediaBytes = 256L * 1024 * 1024;

    /** Most messages one load run may send. */
    private long maxLoadMessages = 1_000_000;

    /** Highest rate a load run may ask for, in messages per second. */
    private double maxLoadRate = 10_000;

    /** Load runs that may be going on at once. */
    private int maxRunningLoads = 2;

    /** How long Meta takes to answer a Graph API send (the switch {@code graphLatencyMs} starts here; 0 answers at once). */
    private Duration graphLatency = Duration.ofMillis(150);

    /** The number created at start-up (standalone); empty phone-number-id means none. */
    private final StartupNumber number = new StartupNumber();

    public String getGraphPath() {
        return graphPath;
    }

    public void setGraphPath(String graphPath) {
        this.graphPath = graphPath == null ? "" : graphPath;
    }

    public String getPublicUrl() {
        return publicUrl;
    }

    public void setPublicUrl(String publicUrl) {
        this.publicUrl = publicUrl == null ? "" : publicUrl;
    }

    public Duration getTemplateReviewDelay() {
        return templateReviewDelay;
    }

    public void setTemplateReviewDelay(Duration templateReviewDelay) {
        this.templateReviewDelay = templateReviewDelay;
    }

    public String getControlToken() {
        return controlToken;
    }

    public void setControlToken(String controlToken) {
        this.controlToken = controlToken == null ? "" : controlToken;
    }

    public boolean isOpenSimulatorPage() {
        return openSimulatorPage;
    }

    public void setOpenSimulatorPage(boolean openSimulatorPage) {
        this.openSimulatorPage = openSimulatorPage;
    }

    public long getMaxCustomerUploadBytes() {
        return maxCustomerUploadBytes;
    }

    public void setMaxCustomerUploadBytes(long maxCustomerUploadBytes) {
        this.maxCustomerUploadBytes = maxCustomerUploadBytes;
    }

    public long getMaxStoredMediaBytes() {
        return maxStoredMediaBytes;
    }

    public void setMaxStoredMediaBytes(long maxStoredMediaBytes) {
        this.maxStoredMediaBytes = maxStoredMediaBytes;
    }

    public long getMaxLoadMessages() {
        return maxLoadMessages;
    }

    public void setMaxLoadMessages(long maxLoadMessages) {
        this.maxLoadMessages = maxLoadMessages;
    }

    public double getMaxLoadRate() {
        return maxLoadRate;
    }

    public void setMaxLoadRate(double maxLoadRate) {
        this.maxLoadRate = maxLoadRate;
    }

    public int getMaxRunningLoads() {
        return maxRunningLoads;
    }

    public void setMaxRunningLoads(int maxRunningLoads) {
        this.maxRunningLoads = maxRunningLoads;
    }

    public Duration getGraphLatency() {
        return graphLatency;
    }

    public void setGraphLatency(Duration graphLatency) {
        this.graphLatency = graphLatency == null ? Duration.ZERO : graphLatency;
    }

    public StartupNumber getNumber() {
        return number;
    }

    /** One business number to register when the sandbox starts. */
    public static class StartupNumber {
        private String phoneNumberId = "";
        private String wabaId = "";
        private String displayPhoneNumber = "15550783881";
        private String accessToken = "";
        private String appSecret = "";
        private String callbackUrl = "";
        private String verifyToken = "";
        private int messagesPerSecond = 80;

        public String getPhoneNumberId() {
            return phoneNumberId;
        }

        public void setPhoneNumberId(String phoneNumberId) {
            this.phoneNumberId = phoneNumberId;
        }

        public String getWabaId() {
            return wabaId;
        }

        public void setWabaId(String wabaId) {
            this.wabaId = wabaId;
        }

        public String getDisplayPhoneNumber() {
            return displayPhoneNumber;
        }

        public void setDisplayPhoneNumber(String displayPhoneNumber) {
            this.displayPhoneNumber = displayPhoneNumber;
        }

        public String getAccessToken() {
            return accessToken;
        }

        public void setAccessToken(String accessToken) {
            this.accessToken = accessToken;
        }

        public String getAppSecret() {
            return appSecret;
        }

        public void setAppSecret(String appSecret) {
            this.appSecret = appSecret;
        }

        public String getCallbackUrl() {
            return callbackUrl;
        }

        public void setCallbackUrl(String callbackUrl) {
            this.callbackUrl = callbackUrl;
        }

        public String getVerifyToken() {
            return verifyToken;
        }

        public void setVerifyToken(String verifyToken) {
            this.verifyToken = verifyToken;
        }

        public int getMessagesPerSecond() {
            return messagesPerSecond;
        }

        public void setMessagesPerSecond(int messagesPerSecond) {
            this.messagesPerSecond = messagesPerSecond;
        }
    }
}
