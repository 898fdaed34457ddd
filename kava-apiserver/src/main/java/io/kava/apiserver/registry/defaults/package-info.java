/**
 * Upstream's v1 defaulting for the built-in kinds, and the create/update preparation some kinds need.
 *
 * <p>Wiring, per kind {@code (group, kind)}:
 * <pre>{@code
 * ResourceStrategy.builder()
 *     .defaulter(KindDefaults.forKind(group, kind))
 *     .prepareForCreate(KindHooks.prepareForCreate(group, kind))   // after the status reset of a create
 *     .prepareForUpdate(KindHooks.prepareForUpdate(group, kind))
 *     .validator(KindValidation.forKind(group, kind))
 *     .nameRule(KindValidation.nameRule(group, kind))
 * }</pre>
 * Pods additionally take {@link io.kava.apiserver.registry.defaults.PodAdmissionDefaults#ON_CREATE} (the
 * DefaultTolerationSeconds admission plugin) on create, and {@code PodAdmissionDefaults.priority} once the
 * PriorityClass is resolved. Job's create hook generates the selector from {@code metadata.uid}, which must be
 * assigned before it runs.
 */
package io.kava.apiserver.registry.defaults;
