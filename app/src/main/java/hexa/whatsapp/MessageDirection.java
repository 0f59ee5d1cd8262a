package hexa.whatsapp;

/** Whether a customer sent a message to the business or the business to the customer. */
public enum MessageDirection {
    INBOUND, OUTBOUND
}
