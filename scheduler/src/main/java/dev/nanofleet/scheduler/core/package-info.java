/**
 * The placement core: pure functions over a read-only view of the fleet. It imports no framework (an ArchUnit test
 * holds this), so it is tested and benchmarked without a database or a broker. The service around it loads a
 * {@link dev.nanofleet.scheduler.core.NodeView} per node, asks {@link dev.nanofleet.scheduler.core.Scheduler} to place
 * requests, and commits the decisions.
 */
package dev.nanofleet.scheduler.core;
