package io.kava.apiserver.cache;

import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/**
 * One object as the watch cache holds it: the parsed tree (read-only by convention: copy before changing) beside
 * its serialized bytes with metadata.resourceVersion already set, so lists and watch fan-out never serialize again.
 *
 * @param fields selectable field values (metadata.name, metadata.namespace and the kind's own)
 */
public record CachedObject(String key, String namespace, String name, ObjectNode object, byte[] bytes, long revision,
                           Map<String, String> labels, Map<String, String> fields) {}
