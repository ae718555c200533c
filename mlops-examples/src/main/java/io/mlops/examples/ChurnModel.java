package io.mlops.examples;

import io.mlops.core.Dataset;
import io.mlops.registry.ModelCodec;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.dtree.CARTClassificationTrainer;
import org.tribuo.classification.ensemble.VotingCombiner;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.common.tree.RandomForestTrainer;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Tribuo random forest for the synthetic customer data: the numeric columns as they are, the
 * categorical {@code contract} one-hot encoded, {@code churn} as the label ({@code yes}/{@code no}).
 */
public final class ChurnModel {

    /** The label of churned customers. */
    public static final String CHURN = "yes";

    /**
     * The classes a serialised Tribuo forest holds: Tribuo, its configuration library (OLCUT),
     * and JDK collections, boxed numbers and time types used in its provenance. A forest's object
     * graph nests about 9 levels deeper than its trees, so the depth limit is raised from 25 to 64
     * (trees of up to about 55 levels).
     */
    public static final ModelCodec<Model> CODEC = ModelCodec.javaSerialization(Model.class,
            io.mlops.registry.JavaSerializationLimits.defaults().withMaxDepth(64),
            "org.tribuo.**", "com.oracle.labs.mlrg.olcut.**", "java.util.**", "java.lang.*", "java.time.*",
            "java.net.URL", "java.net.URI");

    private ChurnModel() {
    }

    /**
     * @param data the customer data
     * @param target the label column (numeric 0/1)
     * @return the feature names the model is trained on, in order
     */
    public static List<String> featureNames(Dataset data, String target) {
        List<String> names = new ArrayList<>();
        for (String column : data.columnNames()) {
            if (column.equals(target)) {
                continue;
            }
            if (data.type(column) == io.mlops.core.ColumnType.NUMERIC) {
                names.add(column);
            } else {
                for (String category : data.categories(column)) {
                    names.add(column + "=" + category);
                }
            }
        }
        return names;
    }

    /**
     * @return Tribuo examples for rows [from, to) of the data
     */
    static MutableDataset<Label> examples(Dataset data, String target, List<String> features, int from, int to) {
        LabelFactory factory = new LabelFactory();
        MutableDataset<Label> out = new MutableDataset<>(new SimpleDataSourceProvenance("customers", factory), factory);
        double[] label = data.numeric(target);
        Columns columns = new Columns(data, features);
        for (int i = from; i < to; i++) {
            out.add(new ArrayExample<>(new Label(label[i] == 1 ? CHURN : "no"), columns.names, columns.row(i)));
        }
        return out;
    }

    /**
     * @return one row as an example with the given (possibly unknown) label
     */
    static Example<Label> example(Dataset data, int row, List<String> features, Label label) {
        Columns columns = new Columns(data, features);
        return new ArrayExample<>(label, columns.names, columns.row(row));
    }

    /** The feature columns of a dataset, read once, one-hot encoding the categorical ones. */
    private static final class Columns {
        final String[] names;
        final double[][] numeric;
        final String[][] categorical;
        final String[] category;

        Columns(Dataset data, List<String> features) {
            names = features.toArray(new String[0]);
            numeric = new double[names.length][];
            categorical = new String[names.length][];
            category = new String[names.length];
            java.util.Map<String, String[]> decoded = new java.util.HashMap<>();
            for (int f = 0; f < names.length; f++) {
                int eq = names[f].indexOf('=');
                if (eq < 0) {
                    numeric[f] = data.numeric(names[f]);
                } else {
                    categorical[f] = decoded.computeIfAbsent(names[f].substring(0, eq), data::categorical);
                    category[f] = names[f].substring(eq + 1);
                }
            }
        }

        double[] row(int i) {
            double[] values = new double[names.length];
            for (int f = 0; f < names.length; f++) {
                values[f] = numeric[f] != null ? numeric[f][i] : category[f].equals(categorical[f][i]) ? 1 : 0;
            }
            return values;
        }
    }

    /**
     * One request's features as an example: numbers by name, {@code contract} one-hot encoded.
     *
     * @param features the request's features
     * @param names the model's feature names
     * @return the example, with an unknown label
     * @throws IllegalArgumentException when a numeric feature is missing or not a number
     */
    static Example<Label> example(Map<String, Object> features, List<String> names) {
        double[] values = new double[names.size()];
        for (int f = 0; f < values.length; f++) {
            String name = names.get(f);
            int eq = name.indexOf('=');
            if (eq < 0) {
                Object v = features.get(name);
                if (!(v instanceof Number)) {
                    throw new IllegalArgumentException("feature '" + name + "' must be a number");
                }
                values[f] = ((Number) v).doubleValue();
            } else {
                values[f] = name.substring(eq + 1).equals(features.get(name.substring(0, eq))) ? 1 : 0;
            }
        }
        return new ArrayExample<>(LabelFactory.UNKNOWN_LABEL, names.toArray(new String[0]), values);
    }

    /**
     * A served churn model.
     *
     * @param model the forest
     * @param features its feature names
     * @return a predictor answering 1 (churn) or 0 with both probabilities
     */
    public static io.mlops.serving.Predictor predictor(Model<Label> model, List<String> features) {
        return new io.mlops.serving.Predictor() {
            @Override
            public io.mlops.serving.Prediction predict(Map<String, Object> request) {
                Prediction<Label> p = model.predict(example(request, features));
                Label churn = p.getOutputScores().get(CHURN);
                double probability = churn == null ? 0 : churn.getScore();
                return io.mlops.serving.Prediction.of(probability >= 0.5 ? 1 : 0,
                        Map.of("1", probability, "0", 1 - probability));
            }

            @Override
            public String type() {
                return "tribuo-random-forest";
            }
        };
    }

    /** Loads a registered churn model for serving: the artifact and its feature names. */
    @SuppressWarnings("unchecked")
    public static final io.mlops.serving.ModelLoader LOADER = (registry, version) ->
            predictor(registry.load(version, CODEC), (List<String>) version.metadata().get("feature_names"));

    /**
     * @param data rows
     * @param row a row
     * @return the row's features as a request would carry them (without the label)
     */
    public static Map<String, Object> request(Dataset data, int row) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        for (String column : data.columnNames()) {
            if (column.equals("churn")) {
                continue;
            }
            m.put(column, data.type(column) == io.mlops.core.ColumnType.NUMERIC ? (Object) data.numeric(column)[row]
                    : data.categorical(column)[row]);
        }
        return m;
    }

    /**
     * Trains a random forest on the first rows and measures accuracy on the rest.
     *
     * @param data the customer data
     * @param target the label column
     * @param validationShare the share of rows held out for validation
     * @param trees the number of trees
     * @param maxDepth the trees' maximum depth
     * @param seed the random seed
     * @return the model and its validation accuracy
     */
    public static Trained train(Dataset data, String target, double validationShare, int trees, int maxDepth, long seed) {
        List<String> features = featureNames(data, target);
        int split = (int) Math.round(data.rowCount() * (1 - validationShare));
        MutableDataset<Label> train = examples(data, target, features, 0, split);
        MutableDataset<Label> test = examples(data, target, features, split, data.rowCount());
        CARTClassificationTrainer tree = new CARTClassificationTrainer(maxDepth, 0.5f, seed);
        RandomForestTrainer<Label> forest = new RandomForestTrainer<>(tree, new VotingCombiner(), trees, seed);
        Model<Label> model = forest.train(train);
        double accuracy = new LabelEvaluator().evaluate(model, test).accuracy();
        return new Trained(model, accuracy, features);
    }

    /**
     * Predicts the churn probability of one row.
     *
     * @param model a trained model
     * @param data the data
     * @param row the row
     * @param features the model's feature names
     * @return the probability of {@link #CHURN}
     */
    public static double churnProbability(Model<Label> model, Dataset data, int row, List<String> features) {
        Prediction<Label> p = model.predict(example(data, row, features, LabelFactory.UNKNOWN_LABEL));
        Label churn = p.getOutputScores().get(CHURN);
        return churn == null ? 0 : churn.getScore();
    }

    /**
     * A trained model.
     *
     * @param model the forest
     * @param accuracy its accuracy on the held-out rows
     * @param features its feature names in order
     */
    public record Trained(Model<Label> model, double accuracy, List<String> features) {
    }
}
