package dev.nanofleet.controlapi.exec;

import dev.nanofleet.controlapi.problem.FieldError;
import dev.nanofleet.controlapi.problem.ProblemException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The validated query of an exec upgrade: {@code command} once per argv element (as Kubernetes has it), {@code tty} and
 * {@code stdin} booleans (default false). Bounded so that the whole command fits one frame to the guest agent.
 */
public record ExecQuery(List<String> command, boolean tty, boolean stdin) {

    public static final int MAX_ARGS = 256;
    public static final int MAX_COMMAND_BYTES = 16 * 1024;

    /** @throws ProblemException 400 naming each invalid parameter */
    public static ExecQuery parse(List<String> command, String tty, String stdin) {
        List<FieldError> errors = new ArrayList<>();
        if (command == null || command.isEmpty() || command.get(0).isEmpty()) {
            errors.add(new FieldError("command", "is required: the program, then one command parameter per argument"));
        } else if (command.size() > MAX_ARGS) {
            errors.add(new FieldError("command", "at most " + MAX_ARGS + " arguments, not " + command.size()));
        } else {
            int bytes = 0;
            for (String arg : command) {
                if (arg.indexOf('\0') >= 0) {
                    errors.add(new FieldError("command", "an argument contains a NUL character"));
                    break;
                }
                bytes += arg.getBytes(StandardCharsets.UTF_8).length + 1;
            }
            if (bytes > MAX_COMMAND_BYTES) {
                errors.add(new FieldError("command", "at most " + MAX_COMMAND_BYTES + " bytes in all"));
            }
        }
        Boolean t = bool(tty, "tty", errors);
        Boolean s = bool(stdin, "stdin", errors);
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        return new ExecQuery(List.copyOf(command), t, s);
    }

    private static Boolean bool(String value, String field, List<FieldError> errors) {
        if (value == null) {
            return false;
        }
        String v = value.strip().toLowerCase(Locale.ROOT);
        if (v.equals("true") || v.equals("false")) {
            return v.equals("true");
        }
        errors.add(new FieldError(field, "'" + value + "' is not a boolean (true or false)"));
        return false;
    }
}
