package io.kava.apiserver.registry;

import io.kava.apiserver.cache.CachedObject;
import java.util.List;

/**
 * A page of a list.
 *
 * @param continueToken      null on the last page
 * @param remainingItemCount null when unknown (selectors given) or on the last page
 */
public record ListResult(List<CachedObject> items, long revision, String continueToken, Long remainingItemCount) {}
