package io.kava.node.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IpPoolTest {
  @Test
  void subnetsOfTheClusterRange() {
    Cidr cluster = Cidr.parse("10.244.0.0/16");
    assertThat(cluster.subnets(24)).isEqualTo(256);
    assertThat(cluster.subnet(0, 24)).hasToString("10.244.0.0/24");
    assertThat(cluster.subnet(7, 24)).hasToString("10.244.7.0/24");
    assertThat(cluster.subnet(256, 24)).hasToString("10.244.0.0/24"); // wraps when exhausted
    assertThat(Cidr.parse("10.128.0.0/9").subnet(5000, 24)).hasToString("10.147.136.0/24");
  }

  @Test
  void handsOutHostAddressesOnceSkippingNetworkGatewayAndBroadcast() {
    IpPool pool = new IpPool(Cidr.parse("10.244.3.0/24"));
    assertThat(pool.allocate("a")).isEqualTo("10.244.3.2");
    assertThat(pool.allocate("a")).isEqualTo("10.244.3.2"); // same pod, same IP
    Set<String> seen = new HashSet<>();
    seen.add("10.244.3.2");
    for (int i = 0; i < 252; i++) assertThat(seen.add(pool.allocate("p" + i))).isTrue();
    assertThat(seen).doesNotContain("10.244.3.0", "10.244.3.1", "10.244.3.255");
    assertThat(pool.allocate("full")).isNull();
    pool.release("p7");
    assertThat(pool.allocate("next")).isNotNull();
  }

  @Test
  void claimsAddressesPodsAlreadyHave() {
    IpPool pool = new IpPool(Cidr.parse("10.244.3.0/24"));
    assertThat(pool.claim("a", "10.244.3.9")).isTrue();
    assertThat(pool.claim("b", "10.244.3.9")).isFalse();
    assertThat(pool.claim("c", "10.9.9.9")).isFalse();
    for (int i = 0; i < 20; i++) assertThat(pool.allocate("x" + i)).isNotEqualTo("10.244.3.9");
  }
}
