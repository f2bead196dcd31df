package dev.nanofleet.events;

/** What one replica asks for: CPU in thousandths of a core and memory in MiB. */
public record Resources(int cpuMillis, int memoryMiB) {
}
