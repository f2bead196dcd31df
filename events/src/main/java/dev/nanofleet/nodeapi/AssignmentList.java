package dev.nanofleet.nodeapi;

import java.util.List;

/**
 * Every instance assigned to a node. The agent converges to this whole list on each pass (level-triggered), so a missed
 * message or a restart never leaves an instance behind.
 */
public record AssignmentList(String nodeName, List<Assignment> assignments) {
}
