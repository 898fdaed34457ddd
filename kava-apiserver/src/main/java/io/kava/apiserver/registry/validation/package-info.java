/**
 * Kind validation for the built-in kinds with upstream's field paths and messages
 * ({@link io.kava.apiserver.registry.validation.KindValidation#forKind}), and each kind's object-name rule
 * ({@link io.kava.apiserver.registry.validation.KindValidation#nameRule}). Validators expect defaulted objects (the
 * framework defaults before it validates), read JSON trees without mutating them, and leave generic metadata checks
 * to the framework.
 *
 * <p>Quantities are kava-api's {@link io.kava.api.quantity.Quantity}, read from request bodies by {@link
 * io.kava.apiserver.registry.validation.JsonQuantity}.
 */
package io.kava.apiserver.registry.validation;
