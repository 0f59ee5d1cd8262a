/**
 * The Graph API client: the CRM's only way to talk to Meta's WhatsApp Cloud API, and to the sandbox
 * that follows the same contract ({@code shared/whatsapp/CONTRACT.md}). Every call names its
 * {@link hexa.whatsapp.graph.GraphEndpoint}, answers Jackson trees or small records, and fails with a
 * classified {@link hexa.whatsapp.graph.GraphApiException} that {@link hexa.whatsapp.graph.GraphErrors}
 * explains in plain words.
 */
package hexa.whatsapp.graph;
