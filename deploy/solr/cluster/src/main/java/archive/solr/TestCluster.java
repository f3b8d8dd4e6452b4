package archive.solr;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.solr.cloud.MiniSolrCloudCluster;
import org.apache.solr.common.cloud.DocCollection;
import org.apache.solr.common.cloud.Replica;
import org.apache.solr.common.cloud.ZkStateReader;
import org.apache.solr.embedded.JettyConfig;
import org.apache.solr.embedded.JettySolrRunner;

/**
 * A SolrCloud of real Solr 9 nodes on 127.0.0.1 with an embedded ZooKeeper, for the archive's tests.
 *
 * <p>Prints one line {@code SOLR_URL=http://127.0.0.1:PORT/solr} on standard output when every node
 * is live, then stays up until it is killed. The URL is the first node's; the Python side reaches
 * the whole cluster through it (Collections and Configsets APIs, distributed queries).
 *
 * <p>Tests that must lose a node (replication) use a small control endpoint on loopback, announced
 * on standard error as {@code SOLR_CONTROL=http://127.0.0.1:PORT}: {@code POST /stop?node=N} stops
 * node N (1-based) and {@code POST /start?node=N} brings it back on the same port and waits until its
 * replicas are active again. Nothing else is exposed.
 *
 * <p>Arguments: [number of nodes, default 2] [working directory, default a fresh temporary one].
 * The working directory holds ZooKeeper's data and the nodes' cores and is deleted on exit.
 */
public final class TestCluster {

  private static final int READY_TIMEOUT_SECONDS = 120;

  private final MiniSolrCloudCluster cluster;
  private final List<JettySolrRunner> nodes;

  private TestCluster(MiniSolrCloudCluster cluster) {
    this.cluster = cluster;
    this.nodes = List.copyOf(cluster.getJettySolrRunners());
  }

  public static void main(String[] args) throws Exception {
    long started = System.nanoTime();
    // Before any Solr class logs: keep standard output for the SOLR_URL line alone.
    System.setProperty("log4j2.configurationFile", "classpath:log4j2-cluster.xml");
    int nodeCount = args.length > 0 ? Integer.parseInt(args[0]) : 2;
    Path workDir =
        args.length > 1
            ? Files.createDirectories(Path.of(args[1]))
            : Files.createTempDirectory("archive-solr-cluster-");

    MiniSolrCloudCluster cluster =
        new MiniSolrCloudCluster(
            nodeCount, workDir, JettyConfig.builder().setPort(0).setContext("/solr").build());
    TestCluster testCluster = new TestCluster(cluster);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> testCluster.shutdown(workDir)));

    HttpServer control = testCluster.startControl();
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    System.err.printf(
        "SOLR_CONTROL=http://127.0.0.1:%d%n", control.getAddress().getPort());
    System.err.printf("cluster of %d nodes ready in %d ms%n", nodeCount, millis);
    System.out.println("SOLR_URL=" + testCluster.nodes.get(0).getBaseUrl());
    System.out.flush();
    Thread.currentThread().join(); // until SIGTERM or Ctrl-C runs the shutdown hook
  }

  private HttpServer startControl() throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/stop", exchange -> handle(exchange, this::stopNode));
    server.createContext("/start", exchange -> handle(exchange, this::startNode));
    server.setExecutor(null);
    server.start();
    return server;
  }

  private interface NodeAction {
    String apply(JettySolrRunner node) throws Exception;
  }

  private void handle(HttpExchange exchange, NodeAction action) throws IOException {
    int status;
    String body;
    try {
      if (!"POST".equals(exchange.getRequestMethod())) {
        status = 405;
        body = "POST only";
      } else {
        status = 200;
        body = action.apply(nodeFromQuery(exchange.getRequestURI().getQuery()));
      }
    } catch (IllegalArgumentException e) {
      status = 400;
      body = e.getMessage();
    } catch (Exception e) {
      status = 500;
      body = e.toString();
    }
    byte[] bytes = (body + "\n").getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private JettySolrRunner nodeFromQuery(String query) {
    if (query == null || !query.startsWith("node=")) {
      throw new IllegalArgumentException("give node=N (1.." + nodes.size() + ")");
    }
    int number;
    try {
      number = Integer.parseInt(query.substring("node=".length()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("node must be a number");
    }
    if (number < 1 || number > nodes.size()) {
      throw new IllegalArgumentException("node must be 1.." + nodes.size());
    }
    return nodes.get(number - 1);
  }

  private synchronized String stopNode(JettySolrRunner node) throws Exception {
    if (node.isRunning()) {
      String name = node.getNodeName();
      node.stop();
      cluster
          .getZkStateReader()
          .waitForLiveNodes(
              READY_TIMEOUT_SECONDS, TimeUnit.SECONDS, (before, live) -> !live.contains(name));
    }
    return "stopped " + node.getBaseUrl();
  }

  private synchronized String startNode(JettySolrRunner node) throws Exception {
    if (!node.isRunning()) {
      node.start(true); // same port, so ZooKeeper's replicas of this node come back
      cluster.waitForNode(node, READY_TIMEOUT_SECONDS);
      waitForReplicasActive(node.getNodeName());
    }
    return "started " + node.getBaseUrl();
  }

  private void waitForReplicasActive(String nodeName) throws Exception {
    ZkStateReader reader = cluster.getZkStateReader();
    for (String collection : reader.getClusterState().getCollectionNames()) {
      reader.waitForState(
          collection,
          READY_TIMEOUT_SECONDS,
          TimeUnit.SECONDS,
          (live, state) -> state == null || replicasActive(state, nodeName, live));
    }
  }

  private static boolean replicasActive(
      DocCollection state, String nodeName, Set<String> live) {
    return state.getReplicas().stream()
        .filter(replica -> replica.getNodeName().equals(nodeName))
        .allMatch(replica -> replica.getState() == Replica.State.ACTIVE && live.contains(nodeName));
  }

  private void shutdown(Path workDir) {
    try {
      cluster.shutdown();
    } catch (Exception e) {
      System.err.println("cluster shutdown: " + e);
    }
    try (Stream<Path> paths = Files.walk(workDir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      System.err.println("could not remove " + workDir + ": " + e);
    }
  }
}
