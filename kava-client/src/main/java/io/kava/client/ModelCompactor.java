package io.kava.client;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Shrinks a fabric8 model object held in an informer cache: every empty list and map in it (each model object
 * carries an empty {@code additionalProperties} map, and the generated classes start every list field as a new
 * {@code ArrayList}) is replaced by the shared immutable empty one. Measured on a pod informer: about 100 empty maps
 * and 130 empty lists per pod, a fifth of the heap its copies took.
 *
 * <p>Only for objects that are read, never changed in place (informer caches: controllers copy before they change
 * anything); the object stays equal to what it was and serializes the same. Walks the model objects reachable from
 * the one given: cost proportional to its size, once per informer event.
 */
public final class ModelCompactor {
  private static final String MODEL_PACKAGE = "io.fabric8.kubernetes.api.model";

  private static final ClassValue<Field[]> FIELDS = new ClassValue<>() {
    @Override
    protected Field[] computeValue(Class<?> type) {
      List<Field> out = new ArrayList<>();
      for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
        for (Field f : c.getDeclaredFields()) {
          int m = f.getModifiers();
          if (Modifier.isStatic(m) || Modifier.isFinal(m) || f.getType().isPrimitive()) continue;
          Class<?> t = f.getType();
          if (List.class.isAssignableFrom(t) || Map.class.isAssignableFrom(t) || isModel(t) || t == Object.class) {
            f.setAccessible(true);
            out.add(f);
          }
        }
      }
      return out.toArray(Field[]::new);
    }
  };

  private ModelCompactor() {}

  static boolean isModel(Class<?> c) { return c.getName().startsWith(MODEL_PACKAGE); }

  /** Replaces the empty lists and maps reachable from {@code model} with shared empties, in place. */
  public static void compact(Object model) {
    if (model == null || !isModel(model.getClass())) return;
    try {
      walk(model, 0);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("cannot compact " + model.getClass().getName(), e);
    }
  }

  private static void walk(Object o, int depth) throws IllegalAccessException {
    if (depth > 64) return; // model objects form trees; this only guards against a cycle
    for (Field f : FIELDS.get(o.getClass())) {
      Object v = f.get(o);
      if (v == null) continue;
      if (v instanceof List<?> l) {
        if (l.isEmpty()) {
          if (f.getType().isAssignableFrom(List.class)) f.set(o, List.of());
        } else {
          walkAll(l, depth);
        }
      } else if (v instanceof Map<?, ?> m) {
        if (m.isEmpty()) {
          if (f.getType().isAssignableFrom(Map.class)) f.set(o, Map.of());
        } else {
          walkAll(m.values(), depth);
        }
      } else if (isModel(v.getClass())) {
        walk(v, depth + 1);
      }
    }
  }

  private static void walkAll(Collection<?> values, int depth) throws IllegalAccessException {
    for (Object e : values) if (e != null && isModel(e.getClass())) walk(e, depth + 1);
  }
}
