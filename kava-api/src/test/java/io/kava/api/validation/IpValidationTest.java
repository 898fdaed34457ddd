package io.kava.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IpValidationTest {
  private static final FieldPath P = FieldPath.of("spec", "clusterIP");

  @ParameterizedTest
  @CsvSource(delimiter = '|', nullValues = "NONE", value = {
      "1.2.3.4 | NONE", "0.0.0.0 | NONE", "255.255.255.255 | NONE", "1234::abcd | NONE", ":: | NONE",
      "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff | NONE", "::1 | NONE", "fe80::1:0:0:1 | NONE",
      "0:0:0:0:0:0:0:0 | must be in canonical form (\"::\")",
      "0001:002:03:4:: | must be in canonical form (\"1:2:3:4::\")",
      "1234::ABCD | must be in canonical form (\"1234::abcd\")",
      "1:0:0:1:0:0:0:1 | must be in canonical form (\"1:0:0:1::1\")",
      "1:0:1:1:1:1:1:1 | NONE",
      "::1.2.3.4 | must be in canonical form (\"::102:304\")",
      "1.1.1.01 | must not have leading 0s",
      "::ffff:1.1.1.1 | must not be an IPv4-mapped IPv6 address",
      "'' | must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
      "aaaaaaa | must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
      "1.2.3.0/24 | must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
      "1.2.3.400 | must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
      "-1.0.0.0 | must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
      "2001:db8::10005 | must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
      "1.2.3.4:80 | must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
      "[2001:db8::1] | must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
      "1234::abcd%eth0 | must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
      "1:2:3:4:5:6:7:8:9 | must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
      "1::2::3 | must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
  })
  void ips(String in, String err) {
    List<FieldError> errs = IpValidation.isValidIP(P, in);
    if (err == null) {
      assertThat(errs).isEmpty();
    } else {
      assertThat(errs).extracting(FieldError::detail).containsExactly(err);
      assertThat(errs.get(0).message()).startsWith("spec.clusterIP: Invalid value: \"" + in + "\": ");
    }
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', nullValues = "NONE", value = {
      "1.0.0.0/8 | NONE", "0.0.0.0/0 | NONE", "1.1.1.1/32 | NONE", "2001:4860:4860::/48 | NONE", "::/0 | NONE", "::1/128 | NONE",
      "10.96.0.0/12 | NONE",
      "2a00:79e0:2:0::/64 | must be in canonical form (\"2a00:79e0:2::/64\")",
      "2001:DB8::/64 | must be in canonical form (\"2001:db8::/64\")",
      "1.1.01.0/24 | must not have leading 0s in IP or prefix length",
      "::ffff:1.1.1.0/24 | must not have an IPv4-mapped IPv6 address",
      "1.2.3.4/24 | must not have bits set beyond the prefix length",
      "2001:db8::1/64 | must not have bits set beyond the prefix length",
      "192.168.0.0/016 | must not have leading 0s in IP or prefix length",
      "'' | must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)",
      "1.2.3.4 | must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)",
      "192.168.0.1/healthz | must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)",
      "192.168.0.1/0/99 | must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)",
      "192.168.0.0/-16 | must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)",
      "192.168.0.0/+16 | must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)",
      "192.168.0.0/33 | must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)",
  })
  void cidrs(String in, String err) {
    List<FieldError> errs = IpValidation.isValidCIDR(P, in);
    if (err == null) {
      assertThat(errs).isEmpty();
    } else {
      assertThat(errs).extracting(FieldError::detail).containsExactly(err);
    }
  }

  @ParameterizedTest
  @CsvSource({"010.0.0.1, true", "1.2.3.4, true", "::ffff:1.2.3.4, true", "1.2.3.256, false"})
  void legacy(String in, boolean ok) {
    assertThat(IpValidation.isValidIPForLegacyField(P, in, false, List.of()).isEmpty()).isEqualTo(ok);
  }
}
