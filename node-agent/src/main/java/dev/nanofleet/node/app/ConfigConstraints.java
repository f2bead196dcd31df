package dev.nanofleet.node.app;

import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.TYPE_USE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import dev.nanofleet.node.net.AddressPlan;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import java.net.URI;
import java.nio.file.Path;

/** The Bean Validation constraints of {@link NodeConfig} that the standard ones cannot say. */
final class ConfigConstraints {

    private ConfigConstraints() {
    }

    /** An absolute {@code http} or {@code https} URL with a host. */
    @Documented
    @Constraint(validatedBy = HttpUrlValidator.class)
    @Target({METHOD, TYPE_USE})
    @Retention(RUNTIME)
    @interface HttpUrl {
        String message() default "must be an http(s) URL with a host";

        Class<?>[] groups() default {};

        Class<? extends Payload>[] payload() default {};
    }

    /** An absolute path: the agent's working directory is no place for a node's state. */
    @Documented
    @Constraint(validatedBy = AbsolutePathValidator.class)
    @Target({METHOD, TYPE_USE})
    @Retention(RUNTIME)
    @interface AbsolutePath {
        String message() default "must be an absolute path";

        Class<?>[] groups() default {};

        Class<? extends Payload>[] payload() default {};
    }

    /** {@code auto} or an IPv4 network holding at least one tenant subnet ({@link AddressPlan#isValid}). */
    @Documented
    @Constraint(validatedBy = InstancePoolValidator.class)
    @Target({METHOD, TYPE_USE})
    @Retention(RUNTIME)
    @interface InstancePool {
        String message() default "must be auto or an IPv4 network holding at least one /24, like 10.213.0.0/16";

        Class<?>[] groups() default {};

        Class<? extends Payload>[] payload() default {};
    }

    public static final class HttpUrlValidator implements ConstraintValidator<HttpUrl, URI> {
        @Override
        public boolean isValid(URI uri, ConstraintValidatorContext context) {
            return uri == null || ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
                    && uri.getHost() != null;
        }
    }

    public static final class AbsolutePathValidator implements ConstraintValidator<AbsolutePath, Path> {
        @Override
        public boolean isValid(Path path, ConstraintValidatorContext context) {
            return path == null || path.isAbsolute();
        }
    }

    public static final class InstancePoolValidator implements ConstraintValidator<InstancePool, String> {
        @Override
        public boolean isValid(String pool, ConstraintValidatorContext context) {
            return pool == null || AddressPlan.isValid(pool);
        }
    }
}
