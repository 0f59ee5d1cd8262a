package hexa.automation.hours;

import java.time.LocalDate;
import java.util.UUID;

/** A day closed all day: for the whole workspace ({@code teamId} null) or for one team. */
public record Holiday(UUID id, UUID teamId, LocalDate day, String name) {
}
