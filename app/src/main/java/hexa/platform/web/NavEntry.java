package hexa.platform.web;

/** One entry of the left navigation: where it goes, its label's message key, its icon. */
public record NavEntry(String path, String labelKey, String icon) {
}
