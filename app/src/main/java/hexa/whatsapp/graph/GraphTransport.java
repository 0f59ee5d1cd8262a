package hexa.whatsapp.graph;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.function.UnaryOperator;

import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.util.MultiValueMap;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The HTTP side of {@link GraphClient}: sends one request with the endpoint's bearer token and turns
 * every answer that is not a 2xx JSON body, and every transport failure, into a {@link GraphApiException}.
 */
final class GraphTransport {

    // Meta's JSON answers are small; a bound keeps a misbehaving server from exhausting memory.
    private static final int MAX_JSON_BYTES = 16 * 1024 * 1024;
    private static final int MAX_ERROR_BYTES = 64 * 1024;

    @FunctionalInterface
    private interface AnswerReader<T> {
        T read(ClientHttpResponse response, int status) throws IOException;
    }

    /** A 2xx answer the client still refuses; {@link #exchange} adds where it came from. */
    private static final class Refused extends RuntimeException {
        final GraphFailure failure;

        Refused(GraphFailure failure) {
            super(failure.message(), null, false, false);
            this.failure = failure;
        }
    }

    private final RestClient rest;
    // Our own mapper, so the application's JSON customisations never change Meta's snake_case shapes.
    private final JsonMapper json;
    private final long maxMediaBytes;

    GraphTransport(GraphSettings settings, JsonMapper json) {
        HttpClient http = HttpClient.newBuilder()
                .connectTimeout(settings.connectTimeout())
                // A redirect would carry the bearer token to a host nobody chose; Meta's answers never need one.
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(http);
        requests.setReadTimeout(settings.readTimeout());
        this.rest = RestClient.builder()
                .requestFactory(requests)
                .defaultHeader(HttpHeaders.USER_AGENT, "HexaCRM")
                .build();
        this.json = json;
        this.maxMediaBytes = settings.maxMediaSize().toBytes();
    }

    JsonMapper json() {
        return json;
    }

    JsonNode get(GraphEndpoint endpoint, URI uri) {
        return exchange(endpoint, endpoint.baseUrl(), HttpMethod.GET, uri, spec -> spec, this::readJson);
    }

    JsonNode delete(GraphEndpoint endpoint, URI uri) {
        return exchange(endpoint, endpoint.baseUrl(), HttpMethod.DELETE, uri, spec -> spec, this::readJson);
    }

    JsonNode postJson(GraphEndpoint endpoint, URI uri, JsonNode body) {
        byte[] bytes = json.writeValueAsBytes(body);
        return exchange(endpoint, endpoint.baseUrl(), HttpMethod.POST, uri,
                spec -> spec.contentType(MediaType.APPLICATION_JSON).body(bytes), this::readJson);
    }

    JsonNode postMultipart(GraphEndpoint endpoint, URI uri, MultiValueMap<String, HttpEntity<?>> parts) {
        return exchange(endpoint, endpoint.baseUrl(), HttpMethod.POST, uri,
                spec -> spec.contentType(MediaType.MULTIPART_FORM_DATA).body(parts), this::readJson);
    }

    /** The bytes at a media URL, which lives on a media host rather than under the Graph API URL. */
    byte[] download(GraphEndpoint endpoint, URI uri) {
        return exchange(endpoint, origin(uri), HttpMethod.GET, uri, spec -> spec, this::readMedia);
    }

    private <T> T exchange(GraphEndpoint endpoint, String graphUrl, HttpMethod method, URI uri,
            UnaryOperator<RestClient.RequestBodySpec> body, AnswerReader<T> reader) {
        String request = method.name() + " " + withoutQuery(uri);
        try {
            RestClient.RequestBodySpec spec = rest.method(method).uri(uri)
                    .headers(headers -> headers.setBearerAuth(endpoint.accessToken()))
                    .accept(MediaType.APPLICATION_JSON, MediaType.ALL);
            return body.apply(spec).exchange((clientRequest, response) -> {
                int status = response.getStatusCode().value();
                if (status < 200 || status > 299) {
                    throw new GraphApiException(failureOf(status, response), graphUrl, request, null);
                }
                return reader.read(response, status);
            });
        } catch (Refused e) {
            throw new GraphApiException(e.failure, graphUrl, request, null);
        } catch (ResourceAccessException e) {
            throw new GraphApiException(transportFailure(e), graphUrl, request, e);
        }
    }

    private JsonNode readJson(ClientHttpResponse response, int status) throws IOException {
        byte[] bytes = readAtMost(response.getBody(), MAX_JSON_BYTES);
        if (bytes == null) {
            throw new Refused(GraphFailure.tooLarge(status, MAX_JSON_BYTES));
        }
        if (bytes.length == 0) {
            return json.createObjectNode();
        }
        JsonNode answer = parse(bytes);
        if (answer == null || !answer.isContainer()) {
            throw new Refused(GraphFailure.unexpectedAnswer(status, "The answer is not a JSON object"));
        }
        return answer;
    }

    private byte[] readMedia(ClientHttpResponse response, int status) throws IOException {
        long announced = response.getHeaders().getContentLength();
        if (announced > maxMediaBytes) {
            throw new Refused(GraphFailure.tooLarge(status, maxMediaBytes));
        }
        byte[] bytes = readAtMost(response.getBody(), maxMediaBytes);
        if (bytes == null) {
            throw new Refused(GraphFailure.tooLarge(status, maxMediaBytes));
        }
        return bytes;
    }

    private GraphFailure failureOf(int status, ClientHttpResponse response) {
        byte[] bytes;
        try {
            bytes = readAtMost(response.getBody(), MAX_ERROR_BYTES);
        } catch (IOException e) {
            bytes = null;
        }
        JsonNode answer = bytes == null ? null : parse(bytes);
        JsonNode error = answer == null ? null : answer.get("error");
        if (error == null || !error.isObject()) {
            return GraphFailure.httpError(status);
        }
        return GraphFailure.metaError(status, number(error.get("code")), number(error.get("error_subcode")),
                text(error.get("type")), text(error.get("message")), text(error.path("error_data").get("details")),
                text(error.get("fbtrace_id")), error.path("is_transient").asBoolean(false));
    }

    private static GraphFailure transportFailure(ResourceAccessException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof HttpConnectTimeoutException || cause instanceof ConnectException
                    || cause instanceof UnknownHostException || cause instanceof UnresolvedAddressException) {
                return GraphFailure.unreachable(String.valueOf(cause.getMessage()));
            }
            if (cause instanceof HttpTimeoutException) {
                return GraphFailure.timedOut(String.valueOf(cause.getMessage()));
            }
        }
        // A connection dropped mid-answer: the request may or may not have reached Meta.
        return GraphFailure.unreachable(String.valueOf(e.getMessage()));
    }

    private JsonNode parse(byte[] bytes) {
        try {
            return json.readTree(bytes);
        } catch (JacksonException e) {
            return null;
        }
    }

    /** The stream's bytes, or null when there are more than {@code limit}. */
    private static byte[] readAtMost(InputStream in, long limit) throws IOException {
        if (in == null) {
            return new byte[0];
        }
        int cap = (int) Math.min(Integer.MAX_VALUE - 8, limit + 1);
        byte[] bytes = in.readNBytes(cap);
        return bytes.length > limit ? null : bytes;
    }

    private static Integer number(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isNumber()) {
            return node.asInt();
        }
        try {
            return Integer.valueOf(node.asString().trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() || !node.isValueNode() ? null : node.asString();
    }

    /** For an answer that was 2xx JSON but not what the operation needs. */
    GraphApiException refuse(GraphEndpoint endpoint, HttpMethod method, URI uri, GraphFailure failure) {
        return new GraphApiException(failure, endpoint.baseUrl(), method.name() + " " + withoutQuery(uri), null);
    }

    static String origin(URI uri) {
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }

    // Media URLs carry signed query parameters; they have no place in logs.
    private static String withoutQuery(URI uri) {
        String text = uri.toString();
        int query = text.indexOf('?');
        return query < 0 ? text : text.substring(0, query);
    }
}
