package dev.nanofleet.node.net;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HostPlumbingTest {

    private static final String PROC_NET_DEV = """
            Inter-|   Receive                                                |  Transmit
             face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
                lo:    1200      12    0    0    0     0          0         0     1200      12    0    0    0     0       0          0
              eth0: 9876543   54321    0    0    0     0          0         0  1234567   12345    0    0    0     0       0          0
            nfb-23f8d04a0ab:       0       0    0    0    0     0          0         0        0       0    0    0    0     0       0          0
            """;

    @Test
    void an_interface_exists_when_this_namespaces_proc_net_dev_lists_it_by_its_whole_name() {
        assertThat(HostPlumbing.listsInterface(PROC_NET_DEV, "nfb-23f8d04a0ab")).isTrue();
        assertThat(HostPlumbing.listsInterface(PROC_NET_DEV, "eth0")).isTrue();
        assertThat(HostPlumbing.listsInterface(PROC_NET_DEV, "nfb-23f8d04a0a")).isFalse();
        assertThat(HostPlumbing.listsInterface(PROC_NET_DEV, "eth")).isFalse();
        assertThat(HostPlumbing.listsInterface(PROC_NET_DEV, "face |bytes")).isFalse();
    }
}
