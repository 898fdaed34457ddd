package io.kava.apiserver.registry;

/**
 * Options of a create, update or patch.
 *
 * @param fieldManager     the manager recorded in managedFields (may be null)
 * @param fieldValidation  "Strict", "Warn" or "Ignore" (null = the server default)
 */
public record WriteOptions(String user, boolean dryRun, String fieldManager, String fieldValidation) {
  public static WriteOptions of(String user) { return new WriteOptions(user, false, null, null); }
}
