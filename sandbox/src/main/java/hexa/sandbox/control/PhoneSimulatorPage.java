package hexa.sandbox.control;

import java.io.IOException;
import java.io.InputStream;

import org.springframework.core.io.ClassPathResource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The phone simulator at {@code /sandbox}: one HTML page whose script and styles are separate files
 * under {@code /sandbox/static/}, since the app's Content-Security-Policy forbids inline code.
 */
@RestController
public class PhoneSimulatorPage implements WebMvcConfigurer {

    private static final String LOCATION = "hexa/sandbox/simulator/";

    @GetMapping({"/sandbox", "/sandbox/"})
    public ResponseEntity<byte[]> page() throws IOException {
        try (InputStream in = new ClassPathResource(LOCATION + "index.html").getInputStream()) {
            return ResponseEntity.ok().contentType(MediaType.TEXT_HTML).cacheControl(CacheControl.noCache()).body(in.readAllBytes());
        }
    }

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler("/sandbox/static/**").addResourceLocations("classpath:/" + LOCATION)
                .setCacheControl(CacheControl.noCache());
    }
}
