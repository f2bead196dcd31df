package dev.nanofleet.cli;

import java.lang.reflect.Constructor;
import picocli.CommandLine;

/**
 * Builds commands with their {@link CliContext} through their constructor (constructor injection, no statics), and
 * everything else (mixins, converters) the picocli way.
 */
final class CommandFactory implements CommandLine.IFactory {

    private final CliContext ctx;

    CommandFactory(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public <K> K create(Class<K> cls) throws Exception {
        try {
            Constructor<K> constructor = cls.getDeclaredConstructor(CliContext.class);
            constructor.setAccessible(true);
            return constructor.newInstance(ctx);
        } catch (NoSuchMethodException e) {
            return CommandLine.defaultFactory().create(cls);
        }
    }
}
