// Train SF-GCN on Cora_ML, save the model, load it back and predict the test nodes (docs/library.md).
using ForwardGnn.Data;
using ForwardGnn.Data.Splits;
using ForwardGnn.Models;
using ForwardGnn.Training;

GraphDataset data = GraphDataset.Load("cora_ml");   // from $FORWARDGNN_DATA (else ./data): docs/datasets.md
NodeSplit split = NodeSplits.For(data, 0);
using (GnnModel trained = Trainer.TrainNodeClassifier(data, split, new TrainConfig { Algo = "sf", Layers = 2 }))
    trained.Save("quickstart-model");

using GnnModel model = GnnModel.Load("quickstart-model");
NodePredictions predicted = model.Predict(data, split.Test, model.LabelledForTest(split));
Console.WriteLine($"test accuracy {predicted.Accuracy(data.Labels):F2} % (the run reported {model.Card.TrainedOn!.Test:F2} %)");
