package io.mlops.serving;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A model server in a JVM of its own, for tests that must bound its heap: started with
 * {@code maxRequestBytes maxRequestElements requestTimeoutMillis}, it prints its port, and stops
 * when its standard input closes. Its model takes one feature "x", or a matrix of any width as
 * tensors, answering each row's sum.
 */
public final class ChildServer {

    private ChildServer() {
    }

    public static void main(String[] args) throws Exception {
        Predictor sums = new Predictor() {
            @Override
            public Prediction predict(Map<String, Object> features) {
                return Prediction.of(((Number) features.get("x")).doubleValue());
            }

            @Override
            public List<Prediction> predictTensors(TensorBatch batch) {
                Tensor t = batch.tensors().get(0);
                java.nio.DoubleBuffer d = t.doubles();
                List<Prediction> out = new ArrayList<>(batch.rows());
                for (int r = 0; r < batch.rows(); r++) {
                    double sum = 0;
                    for (int c = 0; c < t.columns(); c++) {
                        sum += d.get(r * t.columns() + c);
                    }
                    out.add(Prediction.of(sum));
                }
                return out;
            }
        };
        try (ModelServer server = ModelServer.builder().predictor(sums).modelName("m").port(0)
                .maxRequestBytes(Long.parseLong(args[0])).maxRequestElements(Long.parseLong(args[1]))
                .requestTimeout(Duration.ofMillis(Long.parseLong(args[2]))).maxConnectionsPerClient(0)
                .build().start()) {
            System.out.println("port " + server.port());
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            while (in.readLine() != null) {
                // until the parent closes our input
            }
        }
    }
}
