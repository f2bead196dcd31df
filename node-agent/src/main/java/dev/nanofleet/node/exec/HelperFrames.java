package dev.nanofleet.node.exec;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * The frames the agent and {@code nf-exec} (deploy/exec-helper/nf-exec.c) exchange, on the helper's stdin and stdout
 * on the node and over a VM's {@code exec0} port: u32 session id, u8 channel, u32 payload length, payload of at most
 * {@link #MAX_PAYLOAD} bytes. The C source documents each channel.
 */
final class HelperFrames {

    static final int STDIN = 0;
    static final int STDOUT = 1;
    static final int STDERR = 2;
    static final int EXIT = 3;
    static final int RESIZE = 4;
    static final int OPEN = 5;
    static final int EOF = 6;
    static final int KILL = 7;
    static final int HEADER = 9;
    static final int MAX_PAYLOAD = 32 * 1024;

    private HelperFrames() {
    }

    /** One frame as read; {@code payload} is at most {@link #MAX_PAYLOAD} bytes. */
    record Frame(int session, int channel, byte[] payload) {
    }

    /** Thrown when the other end sends what the protocol does not allow (a VM's guest is hostile). */
    static final class ProtocolException extends IOException {
        ProtocolException(String message) {
            super(message);
        }
    }

    static byte[] encode(int session, int channel, byte[] payload, int offset, int length) {
        if (length > MAX_PAYLOAD) {
            throw new IllegalArgumentException("frame payload of " + length + " bytes");
        }
        return ByteBuffer.allocate(HEADER + length).putInt(session).put((byte) channel).putInt(length)
                .put(payload, offset, length).array();
    }

    static byte[] encode(int session, int channel, byte[] payload) {
        return encode(session, channel, payload, 0, payload.length);
    }

    /** The next frame, or null at a clean end of the stream. */
    static Frame read(DataInputStream in) throws IOException {
        int first = in.read();
        if (first < 0) {
            return null;
        }
        byte[] rest = new byte[HEADER - 1];
        try {
            in.readFully(rest);
        } catch (EOFException e) {
            throw new ProtocolException("the stream ended inside a frame header");
        }
        ByteBuffer header = ByteBuffer.wrap(rest);
        int session = (first << 24) | ((header.get() & 0xff) << 16) | ((header.get() & 0xff) << 8)
                | (header.get() & 0xff);
        int channel = header.get() & 0xff;
        int length = header.getInt();
        if (length < 0 || length > MAX_PAYLOAD) {
            throw new ProtocolException("a frame of " + Integer.toUnsignedString(length) + " bytes");
        }
        byte[] payload = new byte[length];
        try {
            in.readFully(payload);
        } catch (EOFException e) {
            throw new ProtocolException("the stream ended inside a frame");
        }
        return new Frame(session, channel, payload);
    }

    static DataInputStream input(InputStream in) {
        return new DataInputStream(new java.io.BufferedInputStream(in, HEADER + MAX_PAYLOAD));
    }

    /** The payload of an OPEN frame: flags, window size, then argv as NUL-terminated strings. */
    static byte[] open(ExecRequest r) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write((r.tty() ? 1 : 0) | (r.stdin() ? 2 : 0));
        out.write(r.columns() >> 8);
        out.write(r.columns());
        out.write(r.rows() >> 8);
        out.write(r.rows());
        for (String arg : r.command()) {
            out.writeBytes(arg.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            out.write(0);
        }
        return out.toByteArray();
    }

    static byte[] resize(int columns, int rows) {
        return new byte[]{(byte) (columns >> 8), (byte) columns, (byte) (rows >> 8), (byte) rows};
    }

    /** The exit code of an EXIT frame (-1 when the helper could not start the process), and its reason, if any. */
    static int exitCode(byte[] payload) {
        return payload.length < 4 ? -1 : ByteBuffer.wrap(payload).getInt();
    }

    /** The reason of an EXIT frame, printable characters only and bounded: it may come from a hostile guest. */
    static String exitReason(byte[] payload) {
        if (payload.length <= 4) {
            return null;
        }
        String s = new String(payload, 4, Math.min(payload.length - 4, 200), java.nio.charset.StandardCharsets.UTF_8);
        return s.replaceAll("[^\\p{Print}]", "?");
    }
}
