package dev.nanofleet.node.controlplane;

import java.util.List;

/** An {@link AssignmentWatch.Listener} that writes what it heard into a list, as words a test can assert on. */
final class HeardWatch implements AssignmentWatch.Listener {

    private final List<String> heard;

    HeardWatch(List<String> heard) {
        this.heard = heard;
    }

    @Override
    public void connected() {
        heard.add("connected");
    }

    @Override
    public void changed(long version) {
        heard.add("changed " + version);
    }

    @Override
    public void disconnected(String why) {
        heard.add("disconnected");
    }

    @Override
    public void unsupported() {
        heard.add("unsupported");
    }
}
