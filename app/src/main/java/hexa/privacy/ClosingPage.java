package hexa.privacy;

/** What Settings → Close workspace shows: the workspace's name (to type), its closing if any, a validation message and the
 * latest export of the whole workspace. */
public record ClosingPage(String workspaceName, WorkspaceClosings.Closing closing, String typed, String error,
                          WorkspaceExports.Job export) {
}
