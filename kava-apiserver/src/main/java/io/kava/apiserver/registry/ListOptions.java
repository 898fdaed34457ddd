package io.kava.apiserver.registry;

import io.kava.api.selector.FieldSelector;
import io.kava.api.selector.LabelSelector;

/**
 * A list or watch request's options (meta/v1 ListOptions).
 *
 * @param resourceVersion      null = most recent (consistent), "0" = any, else "not older than"
 * @param resourceVersionMatch null, "NotOlderThan" or "Exact"
 * @param limit                0 = no limit
 */
public record ListOptions(LabelSelector labelSelector, FieldSelector fieldSelector, long limit, String continueToken,
                          String resourceVersion, String resourceVersionMatch) {}
