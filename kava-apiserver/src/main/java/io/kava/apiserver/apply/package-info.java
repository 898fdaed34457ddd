/**
 * Field management and server-side apply, as upstream's field manager (the behaviour of kube-apiserver with
 * structured-merge-diff; written from that behaviour, not translated).
 *
 * <p>Every write records who owns which fields in {@code metadata.managedFields}. {@link
 * io.kava.apiserver.apply.FieldManager} is the entry point the generic store calls: {@code recordCreate} and
 * {@code recordUpdate} for creates, updates and non-apply patches (Update entries), {@code prepareApply} for
 * {@code application/apply-patch+yaml} patches ({@link io.kava.apiserver.apply.ApplyPatch}, Apply entries, conflicts).
 *
 * <p>Pieces:
 * <ul>
 *   <li>{@link io.kava.apiserver.apply.FieldSet}: a set of field paths, with its FieldsV1 encoding
 *       ({@code "f:spec":{"f:containers":{"k:{\"name\":\"c\"}":{".":{},"f:image":{}}}}}).</li>
 *   <li>{@link io.kava.apiserver.apply.ApplyType} and {@link io.kava.apiserver.apply.TypeResolver}: the merge semantics
 *       of each position (granular or atomic objects; atomic, set or map lists with their keys). Built-in kinds read
 *       them from {@code PatchMeta}; {@link io.kava.apiserver.apply.OpenApiTypes} reads a CRD's openAPIV3Schema;
 *       kinds nobody describes are untyped (objects granular, lists atomic).</li>
 *   <li>Package-private walkers, each one pass over the object: {@code AppliedFields} (the set a configuration
 *       specifies), {@code Comparison} (added, modified and removed paths between two versions), {@code Merger}
 *       (merge a configuration into the live object and remove what its applier gave up).</li>
 * </ul>
 *
 * <p>Cost: each write walks the old and new object once; stored entries are decoded only when the write touches
 * their fields, and re-encoded only then. Nothing is deep-copied: an apply's result shares unchanged subtrees with
 * the live object.
 */
package io.kava.apiserver.apply;
