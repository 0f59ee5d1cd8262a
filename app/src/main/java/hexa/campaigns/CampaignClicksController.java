package hexa.campaigns;

import hexa.platform.access.Public;
import hexa.platform.web.NotFoundException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/** A campaign's URL button leads here first ({@link CampaignClicks}): the click is counted and the customer led on. */
@Controller
class CampaignClicksController {

    private final CampaignClicks clicks;

    CampaignClicksController(CampaignClicks clicks) {
        this.clicks = clicks;
    }

    @Public
    @GetMapping("/c/{token}")
    ResponseEntity<Void> follow(@PathVariable String token) {
        String target = clicks.followed(token).orElseThrow(NotFoundException::new);
        return ResponseEntity.status(HttpStatus.FOUND).header(HttpHeaders.LOCATION, target)
                .header(HttpHeaders.CACHE_CONTROL, "no-store").header("Referrer-Policy", "no-referrer").build();
    }
}
