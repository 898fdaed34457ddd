package io.kava.apiserver.openapi;

import io.kava.apiserver.registry.BuiltinResources;
import io.kava.apiserver.registry.ResourceRegistry;
import java.nio.file.Files;
import java.nio.file.Path;

/** Dev tool: writes the documents to a directory and prints timings and sizes. Not a test. */
public final class DumpDocs {
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args.length > 0 ? args[0] : "/tmp/openapi-dump");
    Files.createDirectories(dir);
    Runtime rt = Runtime.getRuntime();
    System.gc();
    long heap0 = rt.totalMemory() - rt.freeMemory();
    ResourceRegistry r = new ResourceRegistry();
    BuiltinResources.registerAll(r);
    OpenApiService s = new OpenApiService(r);
    long t0 = System.nanoTime();
    s.definitionOf("", "v1", "Pod");
    long t1 = System.nanoTime();
    OpenApiService.V3 v3 = s.v3();
    long t2 = System.nanoTime();
    OpenApiService.V2 v2 = s.v2();
    long t3 = System.nanoTime();
    System.out.printf("models %d ms, v3 %d ms, v2 %d ms%n", (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000);
    Files.write(dir.resolve("v2.json"), v2.json());
    Files.write(dir.resolve("v2.pb"), v2.proto());
    Files.write(dir.resolve("v3-index.json"), v3.index().bytes());
    long total = 0;
    for (var e : v3.groupVersions().entrySet()) {
      Files.write(dir.resolve("v3-" + e.getKey().replace('/', '_') + ".json"), e.getValue().bytes());
      total += e.getValue().bytes().length;
    }
    System.out.printf("v2 json %d, proto %d, v3 total %d bytes in %d docs%n", v2.json().length, v2.proto().length, total, v3.groupVersions().size());
    System.gc();
    Thread.sleep(200);
    System.gc();
    long heap1 = rt.totalMemory() - rt.freeMemory();
    System.out.printf("retained heap ~%d KB%n", (heap1 - heap0) / 1024);
    // second build after a registry change
    r.unregister("", "v1", "podtemplates");
    long t4 = System.nanoTime();
    s.v3();
    s.v2();
    System.out.printf("rebuild after change %d ms%n", (System.nanoTime() - t4) / 1_000_000);
  }
}
