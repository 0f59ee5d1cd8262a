package hexa.privacy.backups;

import java.io.IOException;

/** A backup file that cannot be restored (another key, altered, cut short, not a backup): nothing was changed. */
public final class BackupRefused extends IOException {

    public BackupRefused(String message) {
        super(message);
    }
}
