package io.kava.apiserver.registry.validation;

import java.time.ZoneId;
import java.util.Set;

/** Go's time.LoadLocation acceptance, answered from the JDK's copy of the IANA time zone database. */
final class TimeZones {
  private TimeZones() {}

  private static final Set<String> IDS = ZoneId.getAvailableZoneIds();

  static boolean known(String name) {
    return name.isEmpty() || name.equals("UTC") || name.equals("Local") || IDS.contains(name);
  }
}
