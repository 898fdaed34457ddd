package io.kava.apiserver.registry;

import java.time.Instant;

/**
 * What a write hook may know about the request it runs in.
 *
 * @param dryRun whether nothing will be persisted (allocations must not be committed)
 * @param subresource "" for the main resource, else e.g. "status"
 */
public record WriteContext(String user, boolean dryRun, Instant now, String subresource, ServerServices services) {}
