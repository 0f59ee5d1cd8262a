/**
 * The privacy promise at work: retention that runs, a person's data exported or erased everywhere, requests and the
 * public privacy page, backups. It reaches every module through the ports of {@code hexa.platform.privacy}, which each
 * module implements for its own tables, and never through their tables.
 */
package hexa.privacy;
