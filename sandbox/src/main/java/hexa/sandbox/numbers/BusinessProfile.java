package hexa.sandbox.numbers;

import java.util.ArrayList;
import java.util.List;

/** The public profile a customer sees for a business number. */
public class BusinessProfile {

    public volatile String about = "Hexa sandbox business";
    public volatile String address = "";
    public volatile String description = "";
    public volatile String email = "";
    public volatile String profilePictureUrl = "";
    public volatile String vertical = "OTHER";
    public volatile List<String> websites = new ArrayList<>();
}
