package dev.nanofleet.edge;

/** The raw HTTP response HAProxy sends when no replica serves a hostname (its {@code errorfile 503}). */
final class NoRoutePage {

    private NoRoutePage() {
    }

    static String response(String domain) {
        String body = """
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8"><title>503 No replica serves this address</title></head>
                <body style="font-family:sans-serif;max-width:40em;margin:4em auto">
                <h1>503: no replica serves this address</h1>
                <p>Nanofleet knows no running, healthy replica for this hostname. A deployment answers at
                <code>https://&lt;deployment&gt;-&lt;tenant&gt;.%s/</code> while at least one of its replicas runs
                (and passes its health check) and it publishes a port.</p>
                </body></html>
                """.formatted(domain);
        return "HTTP/1.1 503 Service Unavailable\r\n"
                + "content-type: text/html; charset=utf-8\r\n"
                + "cache-control: no-store\r\n"
                + "connection: close\r\n"
                + "\r\n"
                + body;
    }
}
