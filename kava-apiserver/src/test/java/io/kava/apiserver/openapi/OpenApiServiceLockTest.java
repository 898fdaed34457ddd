package io.kava.apiserver.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.kava.apiserver.registry.BuiltinResources;
import io.kava.apiserver.registry.ResourceRegistry;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class OpenApiServiceLockTest {
  @Test
  void aKindsSchemaDoesNotWaitForADocumentBuild() throws Exception {
    ResourceRegistry registry = new ResourceRegistry();
    BuiltinResources.registerAll(registry);
    OpenApiService service = new OpenApiService(registry);
    CompletableFuture<FieldValidation.Shape> shape;
    // while a document build holds the rendering lock (as the start-up build of /openapi/v3 does for seconds), a
    // create's field validation still compiles its kind's schema: before the split it waited for the whole build
    synchronized (service.renderLock()) {
      shape = CompletableFuture.supplyAsync(() -> service.shape("apps/v1", "Deployment"));
      assertThat(shape.get(60, TimeUnit.SECONDS)).isNotNull();
    }
    assertThat(service.shape("apps/v1", "Deployment")).isSameAs(shape.get());
    // and the documents built afterwards still name the kind's definition as before
    assertThat(service.definitionOf("apps", "v1", "Deployment")).isEqualTo("io.k8s.api.apps.v1.Deployment");
    assertThat(new String(service.v3().groupVersions().get("apis/apps/v1").bytes())).contains("\"io.k8s.api.apps.v1.Deployment\":");
  }
}
