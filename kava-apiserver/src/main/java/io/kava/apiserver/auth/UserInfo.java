package io.kava.apiserver.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An authenticated user, as upstream's user.Info: name, uid, groups and extra attributes. Immutable.
 *
 * @param uid   may be empty
 * @param extra for example {@code authentication.kubernetes.io/credential-id}
 */
public record UserInfo(String name, String uid, List<String> groups, Map<String, List<String>> extra) {
  public static final String ALL_AUTHENTICATED = "system:authenticated";
  public static final String ALL_UNAUTHENTICATED = "system:unauthenticated";
  public static final String ANONYMOUS = "system:anonymous";
  public static final String SYSTEM_MASTERS = "system:masters";
  /** user.CredentialIDKey */
  public static final String CREDENTIAL_ID_KEY = "authentication.kubernetes.io/credential-id";

  public UserInfo {
    uid = uid == null ? "" : uid;
    groups = groups == null ? List.of() : List.copyOf(groups);
    extra = extra == null ? Map.of() : Map.copyOf(extra);
  }

  public static UserInfo of(String name, List<String> groups) { return new UserInfo(name, "", groups, Map.of()); }

  /** The anonymous user ({@code system:anonymous} in {@code system:unauthenticated}). */
  public static UserInfo anonymous() { return new UserInfo(ANONYMOUS, "", List.of(ALL_UNAUTHENTICATED), Map.of()); }

  /**
   * Upstream's AuthenticatedGroupAdder: appends {@code system:authenticated} unless the user is anonymous or already
   * in system:authenticated or system:unauthenticated.
   */
  public UserInfo withAuthenticatedGroup() {
    if (ANONYMOUS.equals(name) || groups.contains(ALL_AUTHENTICATED) || groups.contains(ALL_UNAUTHENTICATED)) return this;
    List<String> g = new ArrayList<>(groups.size() + 1);
    g.addAll(groups);
    g.add(ALL_AUTHENTICATED);
    return new UserInfo(name, uid, g, extra);
  }

  public boolean isInGroup(String group) { return groups.contains(group); }
}
