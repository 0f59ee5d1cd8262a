package hexa.inbox;

import hexa.platform.Ids;
import hexa.platform.access.Permission;
import hexa.platform.access.Requires;
import hexa.platform.web.NotFoundException;
import hexa.platform.web.Notices;
import hexa.platform.web.UserError;
import java.util.UUID;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The conversation's "Start a flow" menu: a plain form post, answered with a redirect back and a notice. */
@Controller
class ConversationFlowsController {

    private final ConversationService conversations;
    private final ConversationFlows flows;

    ConversationFlowsController(ConversationService conversations, ConversationFlows flows) {
        this.conversations = conversations;
        this.flows = flows;
    }

    @Requires(Permission.USE_INBOX)
    @PostMapping("/inbox/conversations/{id}/flows")
    String start(@PathVariable String id, @RequestParam(defaultValue = "") String flow, @RequestParam(defaultValue = "") String back,
                 RedirectAttributes redirect) {
        UUID conversationId = conversations.get(Ids.parseOrNotFound(id)).id();
        if (flow.isBlank()) {
            Notices.warning(redirect, "inbox.flow.choose");
        } else {
            UUID flowId = Ids.parseOrNotFound(flow);
            try {
                Notices.success(redirect, "inbox.flow.started", flows.start(conversationId, flowId));
            } catch (NotFoundException e) {
                throw e;
            } catch (UserError e) {
                Notices.warning(redirect, e.messageKey(), e.args());
            }
        }
        String query = ConversationActionsController.safeQuery(back);
        return "redirect:/inbox/conversations/" + conversationId + (query.isEmpty() ? "" : "?" + query);
    }
}
