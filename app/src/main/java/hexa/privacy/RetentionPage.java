package hexa.privacy;

/**
 * What Settings → Privacy shows: the form (the saved periods, or what was typed when it was refused, with the
 * refusal), the periods in force, who changed them last, the last run and the last dry run (null when none yet),
 * and the run going on now (null when none).
 */
public record RetentionPage(Form form, Object[] errorArgs, RetentionSettings.Periods periods, RetentionSettings.Changed changed, PurgeRun lastRun,
                            PurgeRun dryRun, PurgeRun running) {

    /** The form's fields as typed; {@code error} is the message key of a refusal. */
    public record Form(String messageDays, boolean keepMessages, String contactDays, boolean keepContacts, String logDays, String error) {

        static Form of(RetentionSettings.Periods periods) {
            return new Form(periods.messageDays() == null ? "" : periods.messageDays().toString(), periods.messageDays() == null,
                    periods.contactInactiveDays() == null ? "" : periods.contactInactiveDays().toString(), periods.contactInactiveDays() == null,
                    Integer.toString(periods.logDays()), null);
        }

        /** Whether the refusal is about {@code field} (messages, contacts, logs). */
        public boolean invalid(String field) {
            return error != null && error.equals("privacy.retention." + field + "-invalid");
        }
    }
}
