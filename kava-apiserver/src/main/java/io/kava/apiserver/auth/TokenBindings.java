package io.kava.apiserver.auth;

import java.time.Instant;
import java.util.function.Predicate;

/**
 * Whether the objects a verified service-account token names are still the ones it was issued for: the account (by
 * uid) and the pod, secret or node it is bound to. Upstream's service-account token validator; a token fails once
 * one of them is gone, was re-created with another uid, or was marked for deletion more than a minute ago.
 * Implementations must not block (they run on the event loop): look objects up in a cache, one key each.
 */
@FunctionalInterface
public interface TokenBindings {
  /** How long a token outlives the deletion mark of an object it is bound to (upstream's 60 s). */
  long DELETION_GRACE_SECONDS = 60;

  /** @return null when the token is still good, else why not (for logs; clients see only 401) */
  String invalidReason(ServiceAccountTokens.Verified token, Instant now);

  /** Checks only that the account still exists with the token's uid (for tokens bound to nothing else). */
  static TokenBindings accountsOnly(Predicate<ServiceAccountTokens.Account> accountExists) {
    return (t, now) -> accountExists.test(t.account()) ? null : "service account " + t.account().userName() + " no longer exists";
  }
}
