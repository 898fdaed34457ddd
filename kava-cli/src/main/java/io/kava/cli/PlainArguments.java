package io.kava.cli;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * Sets a command's {@link Option} fields from plain arguments ({@code --name value}, {@code --name=value}) without
 * building picocli's model of the command, or declines. picocli's jar is Java 5 bytecode, which the JDK's AOT cache
 * cannot hold: building the model of {@code kava server}'s options cost ~0.2 s of the main thread's CPU at every
 * start (docs/adr/0011). Anything beyond the plain forms — help, version, an unknown or repeated option, a value this
 * class does not convert exactly as picocli does — is declined, and picocli parses the arguments as before, with its
 * messages. {@code PlainArgumentsTest} holds both parsers to the same results.
 */
final class PlainArguments {
  private static final String NO_DEFAULT = "__no_default_value__";

  private PlainArguments() {}

  /** Sets {@code command}'s options from {@code args}; false, with the fields in an unknown state, if it declines. */
  static boolean apply(Object command, List<String> args) {
    Map<String, Field> byName = new HashMap<>();
    List<Field> options = new ArrayList<>();
    for (Field f : command.getClass().getDeclaredFields()) {
      Option o = f.getAnnotation(Option.class);
      if (o == null) continue;
      if (Modifier.isFinal(f.getModifiers()) || Modifier.isStatic(f.getModifiers())) return false;
      options.add(f);
      for (String name : o.names()) {
        if (!name.startsWith("--")) return false; // short options can be clustered (-abc): picocli's business
        byName.put(name, f);
      }
    }
    try {
      Set<Field> given = new HashSet<>();
      for (int i = 0; i < args.size(); i++) {
        String arg = args.get(i);
        int eq = arg.indexOf('=');
        Field f = byName.get(eq < 0 ? arg : arg.substring(0, eq));
        if (f == null) return false;
        String value;
        if (eq >= 0) {
          value = arg.substring(eq + 1);
        } else {
          if (i + 1 >= args.size()) return false;
          value = args.get(++i);
          if (value.startsWith("-") && !value.matches("-[0-9]+")) return false; // picocli may read it as an option
        }
        Option o = f.getAnnotation(Option.class);
        if (f.getType() == List.class) {
          @SuppressWarnings("unchecked")
          List<Object> list = given.contains(f) ? (List<Object>) f.get(command) : new ArrayList<>();
          for (String part : o.split().isEmpty() ? new String[] {value} : value.split(o.split())) list.add(part);
          f.set(command, list);
        } else {
          if (!given.add(f)) return false; // picocli refuses a single-value option given twice
          Object converted = convert(f.getType(), value);
          if (converted == null) return false;
          f.set(command, converted);
        }
        given.add(f);
      }
      for (Field f : options) {
        String d = f.getAnnotation(Option.class).defaultValue();
        if (given.contains(f) || d.equals(NO_DEFAULT)) continue;
        if (d.contains("${") || f.getType() == List.class) return false; // variables, collections: picocli's business
        Object converted = convert(f.getType(), d);
        if (converted == null) return false;
        f.set(command, converted);
      }
      return true;
    } catch (IllegalAccessException e) {
      return false;
    }
  }

  /** The value as picocli's built-in converters give it, or null for a type or a form left to picocli. */
  private static Object convert(Class<?> type, String value) {
    if (type == String.class) return value;
    if (type == Path.class) return Path.of(value);
    boolean integral = value.matches("-?[0-9]{1,18}");
    if (type == int.class || type == Integer.class) {
      long n = integral ? Long.parseLong(value) : Long.MAX_VALUE;
      return n >= Integer.MIN_VALUE && n <= Integer.MAX_VALUE ? Integer.valueOf((int) n) : null; // else picocli's error
    }
    if (type == long.class || type == Long.class) return integral ? Long.valueOf(value) : null;
    if (type.isEnum()) {
      for (Object constant : type.getEnumConstants()) {
        if (((Enum<?>) constant).name().equalsIgnoreCase(value)) return constant; // kava allows any case, as set in Main
      }
    }
    return null;
  }
}
