package dev.nanofleet.controlapi.enrollment;

import java.security.Principal;
import java.util.UUID;

/** The identity of a request made with a node credential: the node it was issued to. */
public record NodeCredentialPrincipal(String nodeName, UUID credentialId) implements Principal {

    @Override
    public String getName() {
        return "node:" + nodeName;
    }
}
