#!/usr/bin/env python3
"""Makes the ONNX test models of mlops-onnx and scikit-learn's answers for them.

Run from the repository root with Debian's python3-sklearn (1.2.1 here) and python3-onnx (1.12.0)
(apt-get install python3-sklearn python3-onnx), so /usr/bin/python3 rather than another Python:

    /usr/bin/python3 mlops-onnx/src/test/python/make_models.py mlops-onnx/src/test/resources/models

Each model is trained by scikit-learn on data that ships with it (or, for the chapter's serving
model, on make_classification as the chapter does), then written as an ONNX graph built with
onnx.helper from the fitted model's own coefficients and trees (operators of the ai.onnx.ml
domain: LinearClassifier, LinearRegressor, TreeEnsembleClassifier, Scaler, ZipMap). The graph's
metadata carries the feature names ("feature_names", a JSON list), which is how mlops maps named
request fields to tensor columns. Beside each NAME.onnx, NAME.expected.json holds held-out rows and
what scikit-learn's predict / predict_proba say about them: the Java tests compare with these.
"""
import json
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper
from sklearn.datasets import load_breast_cancer, load_diabetes, load_iris, make_classification
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

ML = "ai.onnx.ml"
OPSETS = [helper.make_opsetid("", 17), helper.make_opsetid(ML, 3)]


def model(name, nodes, n_features, outputs, feature_names, doc):
    graph = helper.make_graph(
        nodes, name,
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, [None, n_features])],
        outputs)
    m = helper.make_model(graph, opset_imports=OPSETS, producer_name="mlops make_models.py",
                          doc_string=doc)
    m.ir_version = 8
    helper.set_model_props(m, {"feature_names": json.dumps(feature_names)})
    onnx.checker.check_model(m)
    return m


def classifier_outputs(zipmap):
    label = helper.make_tensor_value_info("label", TensorProto.INT64, [None])
    if zipmap:
        entry = onnx.TypeProto()  # map(int64, float); onnx 1.12 has no helper for map types
        entry.map_type.key_type = TensorProto.INT64
        entry.map_type.value_type.CopyFrom(helper.make_tensor_type_proto(TensorProto.FLOAT, []))
        probs = helper.make_value_info("probabilities", helper.make_sequence_type_proto(entry))
    else:
        probs = helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, [None, None])
    return [label, probs]


def tree_nodes(forest, input_name):
    """TreeEnsembleClassifier attributes for a fitted RandomForestClassifier (probability = mean of leaf shares)."""
    a = {k: [] for k in ["nodes_treeids", "nodes_nodeids", "nodes_featureids", "nodes_values", "nodes_modes",
                         "nodes_truenodeids", "nodes_falsenodeids", "class_treeids", "class_nodeids", "class_ids",
                         "class_weights"]}
    n_trees = len(forest.estimators_)
    for t, est in enumerate(forest.estimators_):
        tree = est.tree_
        for node in range(tree.node_count):
            leaf = tree.children_left[node] == -1
            a["nodes_treeids"].append(t)
            a["nodes_nodeids"].append(node)
            a["nodes_featureids"].append(0 if leaf else int(tree.feature[node]))
            a["nodes_values"].append(0.0 if leaf else float(tree.threshold[node]))
            a["nodes_modes"].append("LEAF" if leaf else "BRANCH_LEQ")
            a["nodes_truenodeids"].append(0 if leaf else int(tree.children_left[node]))
            a["nodes_falsenodeids"].append(0 if leaf else int(tree.children_right[node]))
            if leaf:
                counts = tree.value[node][0]
                shares = counts / counts.sum()
                for c, share in enumerate(shares):
                    a["class_treeids"].append(t)
                    a["class_nodeids"].append(node)
                    a["class_ids"].append(c)
                    a["class_weights"].append(float(share) / n_trees)
    trees = helper.make_node("TreeEnsembleClassifier", [input_name], ["tree_label", "probabilities"], domain=ML,
                             classlabels_int64s=[int(c) for c in forest.classes_], post_transform="NONE", **a)
    # the label as scikit-learn's predict makes it, classes_[argmax(proba)] (classes_ are 0..C-1 here):
    # ONNX Runtime's own label of a two-class ensemble does not follow the probabilities
    argmax = helper.make_node("ArgMax", ["probabilities"], ["label"], axis=1, keepdims=0)
    return [trees, argmax]


def write(out, name, m, rows, feature_names, expected):
    onnx.save(m, os.path.join(out, name + ".onnx"))
    body = {"model": name + ".onnx", "feature_names": feature_names, "rows": rows.tolist()}
    body.update(expected)
    with open(os.path.join(out, name + ".expected.json"), "w") as f:
        json.dump(body, f, indent=1)
        f.write("\n")


def names(raw):
    return [n.replace(" (cm)", "").replace(" ", "_") for n in raw]


def main(out):
    os.makedirs(out, exist_ok=True)

    # 1. logistic regression on iris, probabilities as ZipMap (a sequence of maps, as skl2onnx writes them)
    iris = load_iris()
    x_train, x_test, y_train, y_test = train_test_split(iris.data.astype(np.float32), iris.target, test_size=30,
                                                        random_state=0)
    lr = LogisticRegression(max_iter=2000).fit(x_train, y_train)
    linear = helper.make_node("LinearClassifier", ["input"], ["label", "raw_probabilities"], domain=ML,
                              coefficients=lr.coef_.astype(np.float32).ravel().tolist(),
                              intercepts=lr.intercept_.astype(np.float32).tolist(),
                              classlabels_ints=[int(c) for c in lr.classes_], multi_class=1, post_transform="SOFTMAX")
    zipmap = helper.make_node("ZipMap", ["raw_probabilities"], ["probabilities"], domain=ML,
                              classlabels_int64s=[int(c) for c in lr.classes_])
    features = names(iris.feature_names)
    m = model("iris_logreg", [linear, zipmap], 4, classifier_outputs(True), features,
              "LogisticRegression(max_iter=2000) on iris, 120 training rows")
    write(out, "iris_logreg", m, x_test, features,
          {"labels": lr.predict(x_test).tolist(), "probabilities": lr.predict_proba(x_test).tolist()})

    # 2. random forest on breast cancer, probabilities as a [N, 2] tensor
    bc = load_breast_cancer()
    x_train, x_test, y_train, y_test = train_test_split(bc.data.astype(np.float32), bc.target, test_size=50,
                                                        random_state=0)
    forest = RandomForestClassifier(n_estimators=20, max_depth=6, random_state=0).fit(x_train, y_train)
    features = names(bc.feature_names)
    m = model("breast_cancer_forest", tree_nodes(forest, "input"), 30, classifier_outputs(False), features,
              "RandomForestClassifier(n_estimators=20, max_depth=6, random_state=0) on breast_cancer")
    write(out, "breast_cancer_forest", m, x_test, features,
          {"labels": forest.predict(x_test).tolist(), "probabilities": forest.predict_proba(x_test).tolist()})

    # 3. linear regression on diabetes: a regressor's single output
    db = load_diabetes()
    x_train, x_test, y_train, y_test = train_test_split(db.data.astype(np.float32), db.target, test_size=30,
                                                        random_state=0)
    reg = LinearRegression().fit(x_train, y_train)
    node = helper.make_node("LinearRegressor", ["input"], ["variable"], domain=ML,
                            coefficients=reg.coef_.astype(np.float32).tolist(),
                            intercepts=[float(reg.intercept_)], targets=1)
    features = names(db.feature_names)
    m = model("diabetes_linear", [node], 10,
              [helper.make_tensor_value_info("variable", TensorProto.FLOAT, [None, 1])], features,
              "LinearRegression on diabetes")
    write(out, "diabetes_linear", m, x_test, features, {"values": reg.predict(x_test).tolist()})

    # 4. the chapter's serving model (section 2.1): StandardScaler + RandomForestClassifier(50) on
    #    make_classification(1000, 5, random_state=42), the scaler folded into the graph
    x, y = make_classification(n_samples=1000, n_features=5, random_state=42)
    features = [f"feature_{i}" for i in range(5)]
    scaler = StandardScaler().fit(x)
    chapter = RandomForestClassifier(n_estimators=50, random_state=42).fit(scaler.transform(x), y)
    scale = helper.make_node("Scaler", ["input"], ["scaled"], domain=ML, offset=scaler.mean_.astype(np.float32).tolist(),
                             scale=(1.0 / scaler.scale_).astype(np.float32).tolist())
    m = model("chapter_forest", [scale] + tree_nodes(chapter, "scaled"), 5, classifier_outputs(False), features,
              "the chapter's section 2.1 model: StandardScaler + RandomForestClassifier(n_estimators=50, random_state=42)")
    rows = np.random.RandomState(7).normal(size=(40, 5)).astype(np.float32)
    scaled = scaler.transform(rows.astype(np.float64))
    write(out, "chapter_forest", m, rows, features,
          {"labels": chapter.predict(scaled).tolist(), "probabilities": chapter.predict_proba(scaled).tolist()})


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "mlops-onnx/src/test/resources/models")
