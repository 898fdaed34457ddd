package io.kava.testing.e2e.clients;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kava.client.ClientConfigs;
import io.kava.client.SharedVertx;
import io.kava.testing.KavaCluster;
import io.kava.testing.Poll;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Objects with text outside ASCII reach an in-process informer exactly as stored. The in-process components watch
 * over fabric8's HTTP watches, whose reader decodes each received chunk by itself and then appends the whole backing
 * array of the decoded chars: multi-byte UTF-8 leaves NUL characters after each chunk (and a character split between
 * two chunks turns into U+FFFD), corrupting the event or failing its parse. The API server therefore sends the
 * in-process components' HTTP watch events with every character outside ASCII escaped (AsciiJson); before that, this
 * test's informer failed on the events ("Unexpected exception processing watch event").
 */
@Tag("e2e")
class NonAsciiWatchE2ETest {
  static KavaCluster cluster;
  static KubernetesClient client;

  @BeforeAll
  static void start() {
    cluster = KavaCluster.start();
    client = new KubernetesClientBuilder().withConfig(ClientConfigs.prepare(cluster.server().inProcessConfig()))
        .withHttpClientFactory(SharedVertx.httpClientFactory()).build();
  }

  @AfterAll
  static void stop() {
    if (client != null) client.close();
    if (cluster != null) cluster.close();
  }

  @Test
  void anInProcessInformerSeesNonAsciiTextAsStored() throws Exception {
    try (SharedIndexInformer<ConfigMap> inf = client.configMaps().inNamespace("default").inform()) {
      // long enough to span several chunks, with 2-, 3- and 4-byte characters at every offset
      StringBuilder text = new StringBuilder();
      for (int i = 0; i < 3000; i++) text.append("grüße ✓ 😀 ").append(i).append(' ');
      String value = text.toString();
      for (int i = 0; i < 5; i++) {
        String name = "utf8-" + i;
        client.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata().withName(name)
            .withAnnotations(Map.of("note", "héllo wörld " + i)).endMetadata().withData(Map.of("v", value.substring(i))).build())
            .create();
      }
      for (int i = 0; i < 5; i++) {
        String name = "utf8-" + i;
        String expected = value.substring(i);
        int n = i;
        Poll.until(Duration.ofSeconds(30), () -> {
          ConfigMap cm = inf.getStore().getByKey("default/" + name);
          return cm != null && expected.equals(cm.getData().get("v")) && ("héllo wörld " + n).equals(cm.getMetadata().getAnnotations().get("note"));
        }, () -> {
          ConfigMap cm = inf.getStore().getByKey("default/" + name);
          String got = cm == null ? "nothing" : cm.getData().get("v");
          return "the informer's copy of " + name + ": " + (got == null ? "no data" : got.length() + " chars, NULs: "
              + got.chars().filter(c -> c == 0).count() + ", U+FFFD: " + got.chars().filter(c -> c == 0xFFFD).count());
        });
      }
      assertThat(inf.getStore().getByKey("default/utf8-0").getData().get("v")).isEqualTo(value);
    }
  }
}
