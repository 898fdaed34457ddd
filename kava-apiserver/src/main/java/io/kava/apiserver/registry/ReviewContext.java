package io.kava.apiserver.registry;

import io.kava.apiserver.auth.UserInfo;
import java.time.Instant;

/**
 * What a {@link CreateOnly.Review} may know about its request.
 *
 * @param user      the caller, as kava's authenticator saw it
 * @param namespace the namespace of the URL, or null
 * @param name      the parent object's name for a subresource (serviceaccounts/NAME/token), else null
 */
public record ReviewContext(UserInfo user, String namespace, String name, Instant now, boolean dryRun, ServerServices services) {}
