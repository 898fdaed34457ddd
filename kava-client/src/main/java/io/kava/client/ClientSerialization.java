package io.kava.client;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.kubernetes.model.jackson.Jackson2JdkTypesModule;
import io.kava.client.json.LeanIntrospectionDeserializerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * The serialization of the in-process clients that read and write whole objects (leader election, controllers, the
 * scheduler, the node agent, simulated nodes): fabric8's own mapper, built as fabric8 builds it, with the lean
 * deserializer factory, and one for all of them — fabric8 gives each client a mapper of its own, and each mapper
 * introspects and caches the same model classes again. (Informers have {@link InformerSerialization}.)
 */
public final class ClientSerialization {
  private ClientSerialization() {}

  private static final class Holder {
    static final KubernetesSerialization INSTANCE = create();
  }

  /** The one shared by this process's in-process clients. */
  public static KubernetesSerialization shared() { return Holder.INSTANCE; }

  /** fabric8's default serialization, on a mapper whose deserializers keep no class introspection. */
  public static KubernetesSerialization create() {
    return new KubernetesSerialization(JsonMapper.builderWithJackson2Defaults().addModule(new Jackson2JdkTypesModule())
        .deserializerFactory(new LeanIntrospectionDeserializerFactory()).build(), true);
  }
}
