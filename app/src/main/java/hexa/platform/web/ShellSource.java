package hexa.platform.web;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;

/** Supplies the frame of signed-in pages; identity knows the people and their workspaces. */
public interface ShellSource {
    Optional<Shell> shellFor(HttpServletRequest request);
}
