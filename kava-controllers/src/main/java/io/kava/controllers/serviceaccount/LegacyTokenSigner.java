package io.kava.controllers.serviceaccount;

/**
 * Signs the non-expiring token upstream's token controller writes into a {@code kubernetes.io/service-account-token}
 * Secret. The key lives with the API server; kava-cli passes a signer over it, so this module needs no API-server code.
 */
@FunctionalInterface
public interface LegacyTokenSigner {
  String sign(String namespace, String accountName, String accountUid, String secretName);
}
