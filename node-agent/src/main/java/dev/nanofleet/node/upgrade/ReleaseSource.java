package dev.nanofleet.node.upgrade;

import dev.nanofleet.nodeapi.OsReleaseManifest;
import java.io.IOException;
import java.io.InputStream;

/** Where node OS releases come from: control-api's node API, with the node's credential. */
public interface ReleaseSource {

    OsReleaseManifest manifest(String version) throws IOException;

    /** The file's bytes as they arrive; the caller closes the stream. */
    InputStream open(String version, String file) throws IOException;
}
