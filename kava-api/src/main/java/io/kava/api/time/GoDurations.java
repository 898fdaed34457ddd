package io.kava.api.time;

import java.time.Duration;

/** Go's time.Duration.String() for durations truncated to milliseconds, as the kubelet prints pull times. */
public final class GoDurations {
  private GoDurations() {}

  /** "0s", "523ms", "1.5s", "2m3.004s", "1h0m0s". */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms == 0) return "0s";
    String sign = ms < 0 ? "-" : "";
    ms = Math.abs(ms);
    if (ms < 1000) return sign + ms + "ms";
    long h = ms / 3_600_000, m = ms / 60_000 % 60, s = ms / 1000 % 60, frac = ms % 1000;
    StringBuilder b = new StringBuilder(sign);
    if (h > 0) b.append(h).append('h');
    if (h > 0 || m > 0) b.append(m).append('m');
    b.append(s);
    if (frac > 0) b.append('.').append(String.format("%03d", frac).replaceAll("0+$", ""));
    return b.append('s').toString();
  }
}
