package dev.nanofleet.node.exec;

import java.util.List;

/**
 * What to run in an instance: the program and its arguments (looked up in the container's PATH), whether it gets a
 * terminal, whether it reads stdin, and the terminal's first size.
 */
public record ExecRequest(List<String> command, boolean tty, boolean stdin, int columns, int rows) {

    /** How many arguments, and how many bytes of them at most: they travel in one frame. */
    public static final int MAX_ARGS = 256;
    public static final int MAX_COMMAND_BYTES = 16 * 1024;

    public ExecRequest {
        command = List.copyOf(command);
        if (command.isEmpty() || command.size() > MAX_ARGS) {
            throw new IllegalArgumentException("a command of 1 to " + MAX_ARGS + " arguments is required");
        }
        int bytes = 0;
        for (String arg : command) {
            if (arg.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("an argument contains a NUL character");
            }
            bytes += arg.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 1;
        }
        if (bytes > MAX_COMMAND_BYTES || command.get(0).isEmpty()) {
            throw new IllegalArgumentException("the command is empty or longer than " + MAX_COMMAND_BYTES + " bytes");
        }
        if (columns < 1 || columns > 0xffff || rows < 1 || rows > 0xffff) {
            columns = 80;
            rows = 24;
        }
    }

    public static ExecRequest of(List<String> command, boolean tty, boolean stdin) {
        return new ExecRequest(command, tty, stdin, 80, 24);
    }
}
