/**
 * Kind validation for the built-in kinds with upstream's field paths and messages
 * ({@link io.kava.apiserver.registry.validation.KindValidation#forKind}), and each kind's object-name rule
 * ({@link io.kava.apiserver.registry.validation.KindValidation#nameRule}). Validators expect defaulted objects (the
 * framework defaults before it validates), read JSON trees without mutating them, and leave generic metadata checks
 * to the framework.
 *
 * <p>{@link io.kava.apiserver.registry.validation.ParsedQuantity} and
 * {@link io.kava.apiserver.registry.validation.LabelSelectors} are minimal stand-ins for the kava-api Quantity and
 * LabelSelector types; replace them when those land.
 */
package io.kava.apiserver.registry.validation;
