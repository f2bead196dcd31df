package dev.nanofleet.node.health;

import dev.nanofleet.node.core.HealthChecks.Watch;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

/** A TCP connection to the instance's address and {@code port}, passed once accepted (then closed at once). */
public final class TcpProbe implements Probe {

    @Override
    public ProbeResult probe(Watch target, Duration timeout) {
        int port = target.check().port();
        if (target.address() == null) {
            return ProbeResult.fail("TCP connect to port " + port + ": the instance has no network address");
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(target.address(), port), (int) Math.max(1, timeout.toMillis()));
            return ProbeResult.pass("TCP connect to port " + port + " accepted");
        } catch (SocketTimeoutException e) {
            return ProbeResult.fail("TCP connect to port " + port + " timed out after " + Probes.seconds(timeout));
        } catch (ConnectException e) {
            return ProbeResult.fail("TCP connect to port " + port + ": connection refused");
        } catch (IOException e) {
            return ProbeResult.fail("TCP connect to port " + port + ": " + e.getMessage());
        }
    }
}
