package hexa.platform.web;

import org.springframework.http.HttpStatus;

/**
 * A link or a URL to store was needed while Hexa CRM is reached by a name other than localhost and
 * {@code HEXA_PUBLIC_URL} is not set: the request's own host name is not trusted for it.
 */
public class PublicUrlRequired extends UserError {

    public PublicUrlRequired(String host) {
        super(HttpStatus.CONFLICT, "public_url_required", "platform.public-url-required", host);
    }
}
