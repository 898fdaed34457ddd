package io.kava.apiserver.registry.crd;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** The CronTab CRD of upstream's documentation, extended with the features the tests need. */
final class CrdFixtures {
  private CrdFixtures() {}

  private static final ObjectMapper YAML = YAMLMapper.builder().build();

  static ObjectNode yaml(String text) { return (ObjectNode) YAML.readTree(text); }

  static JsonNode node(String yaml) { return YAML.readTree(yaml); }

  static final String CRONTAB = """
      apiVersion: apiextensions.k8s.io/v1
      kind: CustomResourceDefinition
      metadata:
        name: crontabs.stable.example.com
      spec:
        group: stable.example.com
        scope: Namespaced
        names:
          plural: crontabs
          kind: CronTab
          shortNames: [ct]
          categories: [all]
        versions:
        - name: v1
          served: true
          storage: true
          subresources:
            status: {}
            scale:
              specReplicasPath: .spec.replicas
              statusReplicasPath: .status.replicas
              labelSelectorPath: .status.labelSelector
          additionalPrinterColumns:
          - name: Spec
            type: string
            jsonPath: .spec.cronSpec
          - name: Replicas
            type: integer
            jsonPath: .spec.replicas
          schema:
            openAPIV3Schema:
              type: object
              properties:
                spec:
                  type: object
                  required: [cronSpec]
                  properties:
                    cronSpec:
                      type: string
                      pattern: '^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$'
                    image:
                      type: string
                      maxLength: 20
                    replicas:
                      type: integer
                      minimum: 0
                      maximum: 10
                      default: 1
                    mode:
                      type: string
                      enum: [fast, slow]
                    tags:
                      type: array
                      maxItems: 2
                      items: {type: string}
                    port:
                      x-kubernetes-int-or-string: true
                    extra:
                      type: object
                      x-kubernetes-preserve-unknown-fields: true
                    labels:
                      type: object
                      additionalProperties: {type: string}
                    policy:
                      type: object
                      default: {}
                      properties:
                        retries: {type: integer, default: 3}
                        backoff: {type: string, nullable: true}
                status:
                  type: object
                  properties:
                    replicas: {type: integer}
                    labelSelector: {type: string}
        - name: v2
          served: true
          storage: false
          subresources:
            status: {}
          schema:
            openAPIV3Schema:
              type: object
              x-kubernetes-preserve-unknown-fields: true
      """;

  static ObjectNode cronTabCrd() { return yaml(CRONTAB); }

  static ObjectNode cronTab(String name, String spec) {
    return yaml("apiVersion: stable.example.com/v1\nkind: CronTab\nmetadata:\n  name: " + name + "\nspec:\n" + spec.indent(2));
  }
}
