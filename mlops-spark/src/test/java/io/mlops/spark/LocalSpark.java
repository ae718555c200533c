package io.mlops.spark;

import org.apache.spark.sql.SparkSession;

/** The tests' Spark: a real session in {@code local[2]}, no UI, bound to the loopback address. */
final class LocalSpark {

    private LocalSpark() {
    }

    static SparkSession start(String app) {
        return SparkSession.builder().master("local[2]").appName(app)
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "4").getOrCreate();
    }
}
