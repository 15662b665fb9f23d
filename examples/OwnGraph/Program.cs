// Train on your own graph: a folder with edges.csv, features.csv and labels.csv (formats: docs/datasets.md).
using ForwardGnn.Data;
using ForwardGnn.Data.Splits;
using ForwardGnn.Models;
using ForwardGnn.Training;

GraphDataset graph = GraphDataset.Load(Path.Combine(AppContext.BaseDirectory, "graph"));
Console.WriteLine($"{graph.NumNodes} nodes, {graph.Edges.Count} directed edges, {graph.NumFeatures} features, {graph.NumClasses} classes");

// A graph without split files gets generated 64/16/20 % splits (or read your own with NodeSplitFile.Read).
NodeSplit split = NodeSplits.Generate(graph.NumNodes, 0);
using GnnModel model = Trainer.TrainNodeClassifier(graph, split, new TrainConfig { Algo = "sf", Gnn = ForwardGnn.Layers.GnnKind.Sage });
model.Save("own-graph-model");

NodePredictions predicted = model.Predict(graph, labelled: model.LabelledForTest(split));   // every node
Console.WriteLine($"test accuracy {model.Card.TrainedOn!.Test:F2} %; node 0 is predicted class {predicted.Classes[0]}");
File.WriteAllLines("predictions.csv", predicted.Nodes.Select((node, i) => $"{node},{predicted.Classes[i]}").Prepend("node,class"));
