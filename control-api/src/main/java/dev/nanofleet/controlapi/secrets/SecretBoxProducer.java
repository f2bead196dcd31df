package dev.nanofleet.controlapi.secrets;

import dev.nanofleet.controlapi.config.ControlApiConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** The one {@link SecretBox} of the service, keyed by {@code nanofleet.control-api.secrets-key}. */
@ApplicationScoped
public class SecretBoxProducer {

    @Produces
    @ApplicationScoped
    SecretBox secretBox(ControlApiConfig config) {
        return new SecretBox(config.secretsKey());
    }
}
