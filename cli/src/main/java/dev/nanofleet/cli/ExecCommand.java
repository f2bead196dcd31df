package dev.nanofleet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "exec", mixinStandardHelpOptions = true, description = {
        "Run a command in a running replica, in either isolation mode, and exit with its exit code.",
        "-i passes stdin (piped or typed); -t gives the command a terminal (raw mode here, window size followed);"
                + " without -t its stdout and stderr stay apart."}, footer = {"", "Examples:",
                        "  nanofleet exec -it 3f2a...c9 -- sh", "  echo hi | nanofleet exec -i 3f2a...c9 -- cat",
                        "  nanofleet exec 3f2a...c9 -- ls -l /"})
final class ExecCommand implements Callable<Integer> {

    /** The API's exec protocol (control-api/README.md, "Exec"). */
    static final String PROTOCOL = "v1.exec.nanofleet.dev";
    static final int STDIN = 0;
    static final int STDOUT = 1;
    static final int STDERR = 2;
    static final int STATUS = 3;
    static final int RESIZE = 4;
    static final int CLOSE = 255;
    static final int CHUNK = 32 * 1024;

    @Mixin
    GlobalOptions global;

    @Option(names = {"-i", "--stdin"}, description = "Pass stdin to the command.")
    boolean stdin;

    @Option(names = {"-t", "--tty"}, description = "Give the command a terminal.")
    boolean tty;

    @Parameters(index = "0", paramLabel = "INSTANCE_ID", description = "The replica's id (see `nanofleet status`).")
    String instance;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "COMMAND", description = "The program and its arguments,"
            + " after --.")
    List<String> command;

    private final CliContext ctx;

    ExecCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws Exception {
        ApiClient api = global.api(ctx);
        Session session = new Session(ctx.out(), ctx.err(), ctx.json());
        WebSocket ws;
        try {
            ws = ctx.http().newWebSocketBuilder().header("Authorization", "Bearer " + api.token())
                    .subprotocols(PROTOCOL).connectTimeout(Duration.ofSeconds(10))
                    .buildAsync(uri(api.base()), session).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                Object body = refused.getResponse().body();
                throw new ApiException(Problem.parse(refused.getResponse().statusCode(),
                        body instanceof String s ? s : null, ctx.json()));
            }
            throw new CliException(ExitCodes.UNREACHABLE, "cannot open the exec session at " + api.base() + ": "
                    + e.getCause());
        }
        session.ws = ws;
        LocalTerminal terminal = tty && stdin && LocalTerminal.stdinIsTerminal() ? LocalTerminal.raw() : null;
        try {
            if (terminal != null) {
                sendResize(session);
                followWindowSize(session);
            }
            if (stdin) {
                Thread.ofVirtual().name("exec-stdin").start(() -> pumpStdin(ctx.in(), session));
            }
            return session.ended.join();
        } finally {
            if (terminal != null) {
                terminal.restore();
            }
        }
    }

    URI uri(URI base) {
        StringBuilder s = new StringBuilder(base.toString().replaceFirst("^http", "ws"));
        s.append("/v1/instances/").append(ApiClient.segment(instance)).append("/exec?");
        for (String arg : command) {
            s.append("command=").append(ApiClient.segment(arg)).append('&');
        }
        return URI.create(s.append("tty=").append(tty).append("&stdin=").append(stdin).toString());
    }

    private static void sendResize(Session session) {
        int[] size = LocalTerminal.size();
        session.send(RESIZE, ("{\"Width\":" + size[0] + ",\"Height\":" + size[1] + "}")
                .getBytes(StandardCharsets.US_ASCII));
    }

    @SuppressWarnings("restriction")
    private static void followWindowSize(Session session) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("WINCH"), sig -> sendResize(session));
        } catch (IllegalArgumentException e) {
            // no SIGWINCH here: the size stays what it was at the start
        }
    }

    private static void pumpStdin(InputStream in, Session session) {
        byte[] buffer = new byte[CHUNK];
        try {
            for (int n = in.read(buffer); n >= 0 && !session.ended.isDone(); n = in.read(buffer)) {
                if (n > 0) {
                    session.send(STDIN, java.util.Arrays.copyOf(buffer, n));
                }
            }
        } catch (IOException e) {
            // stdin broke: end it below
        }
        session.send(CLOSE, new byte[]{STDIN});
    }

    /** The WebSocket's listener: output to our stdout and stderr, the exit code from the status message. */
    static final class Session implements WebSocket.Listener {
        private final PrintWriter out;
        private final PrintWriter err;
        private final com.fasterxml.jackson.databind.ObjectMapper json;
        private final CharsetDecoder outText = decoder();
        private final CharsetDecoder errText = decoder();
        private final java.io.ByteArrayOutputStream message = new java.io.ByteArrayOutputStream();
        final CompletableFuture<Integer> ended = new CompletableFuture<>();
        volatile WebSocket ws;
        private Integer exitCode;
        private String reason;

        Session(PrintWriter out, PrintWriter err, com.fasterxml.jackson.databind.ObjectMapper json) {
            this.out = out;
            this.err = err;
            this.json = json;
        }

        private static CharsetDecoder decoder() {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE);
        }

        /** Sends one message; sends are serialised, as the WebSocket requires. */
        synchronized void send(int channel, byte[] data) {
            WebSocket socket = ws;
            if (socket == null || socket.isOutputClosed()) {
                return;
            }
            ByteBuffer b = ByteBuffer.allocate(data.length + 1).put((byte) channel).put(data).flip();
            try {
                socket.sendBinary(b, true).join();
            } catch (CompletionException e) {
                // the session is ending: its close or error tells how
            }
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] part = new byte[data.remaining()];
            data.get(part);
            message.writeBytes(part);
            if (last) {
                byte[] m = message.toByteArray();
                message.reset();
                if (m.length > 0) {
                    deliver(m[0] & 0xff, java.util.Arrays.copyOfRange(m, 1, m.length));
                }
            }
            webSocket.request(1);
            return null;
        }

        private void deliver(int channel, byte[] data) {
            switch (channel) {
                case STDOUT -> write(out, outText, data);
                case STDERR -> write(err, errText, data);
                case STATUS -> {
                    try {
                        JsonNode status = json.readTree(data);
                        exitCode = status.path("exitCode").isInt() ? status.path("exitCode").asInt() : null;
                        reason = status.path("reason").asText(null);
                    } catch (IOException e) {
                        reason = "unreadable status from the API";
                    }
                }
                default -> {
                    // nothing else comes from the API
                }
            }
        }

        private static void write(PrintWriter to, CharsetDecoder decoder, byte[] data) {
            CharBuffer chars = CharBuffer.allocate(data.length + 1);
            decoder.decode(ByteBuffer.wrap(data), chars, false);
            to.write(chars.flip().toString());
            to.flush();
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String why) {
            finish(why);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            finish("the connection failed: " + error.getMessage());
        }

        private void finish(String closeReason) {
            out.flush();
            if (exitCode != null) {
                ended.complete(exitCode);
                return;
            }
            err.println("nanofleet: the session ended without an exit code: "
                    + (reason != null
                            ? reason
                            : closeReason == null || closeReason.isEmpty() ? "closed" : closeReason));
            err.flush();
            ended.complete(ExitCodes.API_ERROR);
        }
    }
}
