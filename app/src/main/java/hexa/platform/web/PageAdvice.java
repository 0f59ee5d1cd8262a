package hexa.platform.web;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** Gives every page its {@link Page}. */
@ControllerAdvice(annotations = org.springframework.stereotype.Controller.class)
class PageAdvice {

    private final Pages pages;

    PageAdvice(Pages pages) {
        this.pages = pages;
    }

    @ModelAttribute("page")
    Page page(HttpServletRequest request) {
        return ApiPaths.isApi(request) ? null : pages.of(request);
    }
}
