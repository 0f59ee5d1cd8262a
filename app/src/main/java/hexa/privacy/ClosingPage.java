package hexa.privacy;

/** What Settings → Close workspace shows: the workspace's name (to type), its closing if any, and a validation message. */
public record ClosingPage(String workspaceName, WorkspaceClosings.Closing closing, String typed, String error) {
}
