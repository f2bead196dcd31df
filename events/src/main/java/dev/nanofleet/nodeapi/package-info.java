/**
 * The messages of the node API: what a node agent and control-api say to each other over HTTP. A node enrolls once with
 * a join token an operator made and gets its own node credential ({@code nfn_...}), its bearer on every other call; it
 * may only read and report for that node.
 *
 * <pre>
 * POST /v1/node-enrollments                          NodeEnrollment    -> 201 NodeEnrollment.Enrolled
 * POST /v1/node-api/nodes/{node}/registration        NodeRegistration  -> 200
 * POST /v1/node-api/nodes/{node}/heartbeat                             -> 204
 * GET  /v1/node-api/nodes/{node}/assignments                           -> AssignmentList (the full desired set)
 * PUT  /v1/node-api/nodes/{node}/instances/{id}/status InstanceStatusReport -> 204 (404 if not this node's)
 * POST /v1/node-api/nodes/{node}/usage               UsageReport       -> 204 (samples of other nodes' instances dropped)
 * GET  /v1/node-api/nodes/{node}/os-releases/{version}/manifest       -> OsReleaseManifest
 * GET  /v1/node-api/nodes/{node}/os-releases/{version}/files/{file}   -> application/octet-stream
 * PUT  /v1/node-api/nodes/{node}/os-upgrade          OsUpgradeReport   -> 200 (409 when no such upgrade is under way)
 *
 * On the node agent, for control-api with a LogsGrant (signed for this node and instance, 60 s) as bearer:
 * GET  /v1/agent/instances/{id}/logs?tail=N&amp;follow=true -> text/plain, streamed while following
 * </pre>
 */
package dev.nanofleet.nodeapi;
