package hexa.platform.privacy;

import java.util.List;

/**
 * A module's declaration of the personal data it holds: every table it owns that could hold any (it refers to a
 * contact, a conversation or a message, or holds a phone number, a name, text or a file), with how each is exported,
 * erased and expired. Each module that owns such tables has one bean implementing it. The privacy module reads all of
 * them; {@code PersonalDataMapTest} fails when a table is missing, so a new feature cannot forget its data;
 * {@code docs/privacy.md} lists them.
 *
 * <p>The work itself is done through the ports beside this one, each implemented by the module that owns the tables:
 * {@link PersonErasure}, {@link PersonExport} and {@link RetentionPurge}.
 */
public interface PersonalData {

    /** The tables of this module, each declared once. */
    List<PersonalTable> tables();
}
