package io.kava.apiserver.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RequestInfoTest {
  @Test
  void namespacedResources() {
    RequestInfo ri = RequestInfo.parse("GET", "/apis/apps/v1/namespaces/dev/deployments/web/scale", false);
    assertThat(ri.resourceRequest()).isTrue();
    assertThat(ri).extracting(RequestInfo::group, RequestInfo::version, RequestInfo::namespace, RequestInfo::resource,
        RequestInfo::name, RequestInfo::subresource, RequestInfo::verb).containsExactly("apps", "v1", "dev", "deployments", "web", "scale", "get");
  }

  @Test
  void namespaceObjectAndItsSubresources() {
    RequestInfo ns = RequestInfo.parse("GET", "/api/v1/namespaces/dev", false);
    assertThat(ns).extracting(RequestInfo::resource, RequestInfo::name, RequestInfo::namespace).containsExactly("namespaces", "dev", null);
    RequestInfo fin = RequestInfo.parse("PUT", "/api/v1/namespaces/dev/finalize", false);
    assertThat(fin).extracting(RequestInfo::resource, RequestInfo::name, RequestInfo::subresource, RequestInfo::verb)
        .containsExactly("namespaces", "dev", "finalize", "update");
  }

  @Test
  void verbsFromMethodAndShape() {
    assertThat(RequestInfo.parse("GET", "/api/v1/pods", false).verb()).isEqualTo("list");
    assertThat(RequestInfo.parse("GET", "/api/v1/pods", true).verb()).isEqualTo("watch");
    assertThat(RequestInfo.parse("GET", "/api/v1/watch/namespaces/a/pods", false).verb()).isEqualTo("watch");
    assertThat(RequestInfo.parse("DELETE", "/api/v1/namespaces/a/pods", false).verb()).isEqualTo("deletecollection");
    assertThat(RequestInfo.parse("POST", "/api/v1/namespaces/a/pods", false).verb()).isEqualTo("create");
    assertThat(RequestInfo.parse("PATCH", "/api/v1/namespaces/a/pods/p", false).verb()).isEqualTo("patch");
  }

  @Test
  void discoveryAndOtherPathsAreNotResources() {
    assertThat(RequestInfo.parse("GET", "/api", false).resourceRequest()).isFalse();
    assertThat(RequestInfo.parse("GET", "/api/v1", false).resourceRequest()).isFalse();
    assertThat(RequestInfo.parse("GET", "/apis/apps", false).resourceRequest()).isFalse();
    assertThat(RequestInfo.parse("GET", "/apis/apps/v1", false).resourceRequest()).isFalse();
    assertThat(RequestInfo.parse("GET", "/healthz", false).resourceRequest()).isFalse();
  }

  @Test
  void negotiatesTablesAndFallsBackToJson() {
    String kubectl = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";
    assertThat(MediaTypes.negotiate(kubectl, true).output()).isEqualTo(MediaTypes.Output.TABLE);
    assertThat(MediaTypes.negotiate("application/vnd.kubernetes.protobuf, */*", false).output()).isEqualTo(MediaTypes.Output.OBJECT_JSON);
    assertThat(MediaTypes.negotiate("application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io", true).output())
        .isEqualTo(MediaTypes.Output.PARTIAL_METADATA_LIST);
  }
}
