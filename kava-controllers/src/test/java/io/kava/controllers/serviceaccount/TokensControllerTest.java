package io.kava.controllers.serviceaccount;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class TokensControllerTest {
  private static final String CA = "-----BEGIN CERTIFICATE-----\nabc\n-----END CERTIFICATE-----\n";
  private static final LegacyTokenSigner SIGNER = (ns, name, uid, secret) -> "tok:" + ns + ":" + name + ":" + uid + ":" + secret;
  private static final ServiceAccount ROBOT = new ServiceAccountBuilder().withNewMetadata().withNamespace("ns1").withName("robot").withUid("sa-1").endMetadata().build();

  private static Secret secret() {
    return new SecretBuilder().withType(TokensController.TYPE).withNewMetadata().withNamespace("ns1").withName("robot-token")
        .withResourceVersion("7").addToAnnotations(TokensController.NAME_ANNOTATION, "robot").endMetadata().build();
  }

  private static String decoded(Secret s, String key) {
    return new String(Base64.getDecoder().decode(s.getData().get(key)), StandardCharsets.UTF_8);
  }

  @Test
  void fillsTokenCaNamespaceAndUidConditionally() {
    Secret want = TokensController.desired(secret(), ROBOT, CA, SIGNER);
    assertThat(decoded(want, "token")).isEqualTo("tok:ns1:robot:sa-1:robot-token");
    assertThat(decoded(want, "ca.crt")).isEqualTo(CA);
    assertThat(decoded(want, "namespace")).isEqualTo("ns1");
    assertThat(want.getMetadata().getAnnotations()).containsEntry(TokensController.UID_ANNOTATION, "sa-1")
        .containsEntry(TokensController.NAME_ANNOTATION, "robot");
    assertThat(want.getMetadata().getResourceVersion()).isEqualTo("7");
    assertThat(TokensController.desired(want, ROBOT, CA, SIGNER)).as("nothing left to do").isNull();
  }

  @Test
  void keepsAnExistingTokenButRestoresTheCa() {
    Secret filled = TokensController.desired(secret(), ROBOT, CA, SIGNER);
    Secret edited = new SecretBuilder(filled).addToData("ca.crt", Base64.getEncoder().encodeToString("x".getBytes(StandardCharsets.UTF_8))).build();
    Secret want = TokensController.desired(edited, ROBOT, CA, (a, b, c, d) -> "other");
    assertThat(decoded(want, "token")).isEqualTo("tok:ns1:robot:sa-1:robot-token");
    assertThat(decoded(want, "ca.crt")).isEqualTo(CA);
  }
}
